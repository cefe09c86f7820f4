package dev.mailroom.gateway.live;

import dev.mailroom.events.model.AccountId;
import dev.mailroom.gateway.problem.GatewayException;
import dev.mailroom.gateway.problem.Problem.FieldError;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How far a live stream has come: the last change-log sequence number sent, per account. It is the
 * {@code id} of every event, so the browser hands it back as {@code Last-Event-ID} when it
 * reconnects (WHATWG HTML §9.2) and the stream resumes right after it. Opaque to clients: base64url
 * of {@code accountId=seq,accountId=seq}.
 */
public record StreamPosition(Map<AccountId, Long> seqs) {

  public StreamPosition {
    seqs = Map.copyOf(seqs);
  }

  public String encode() {
    StringBuilder plain = new StringBuilder();
    seqs.forEach(
        (id, seq) -> plain.append(plain.isEmpty() ? "" : ",").append(id).append('=').append(seq));
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(plain.toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * @throws GatewayException.InvalidRequest when the text is not a position this API gave out
   */
  public static StreamPosition decode(String text) {
    Map<AccountId, Long> seqs = new LinkedHashMap<>();
    try {
      String plain = new String(Base64.getUrlDecoder().decode(text.trim()), StandardCharsets.UTF_8);
      for (String entry : plain.split(",")) {
        if (entry.isEmpty()) {
          continue;
        }
        int eq = entry.indexOf('=');
        long seq = Long.parseLong(entry.substring(eq + 1));
        if (seq < 0) {
          throw new IllegalArgumentException("negative");
        }
        seqs.put(AccountId.of(entry.substring(0, eq)), seq);
      }
    } catch (RuntimeException e) {
      throw new GatewayException.InvalidRequest(
          List.of(
              new FieldError(
                  "Last-Event-ID",
                  "is not the id of an event of this stream; reconnect without it to start from now")));
    }
    return new StreamPosition(seqs);
  }
}
