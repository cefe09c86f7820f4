package dev.mailroom.connector.send;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailroom.events.EventCodec;
import dev.mailroom.events.model.AccountId;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Reads a queued message from sync-service's outbox (ADR 0006): its envelope and its MIME. */
final class OutboxStore {

  /**
   * @param sentMailbox where the copy goes, the Sent role the gateway resolved when it queued the
   *     message; null when it resolved none (the provider keeps the copy, or no first sync yet)
   * @param mime the whole message as it is to be sent
   */
  record Queued(
      String envelopeFrom,
      List<String> recipients,
      String state,
      String sentMailbox,
      byte[] mime) {}

  /** The message is not (or no longer) in the outbox: nothing to send. */
  static final class GoneException extends Exception {
    GoneException(String message) {
      super(message);
    }
  }

  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          // Plain HTTP/1.1 with kept connections: no h2c upgrade attempt on every new connection.
          .version(HttpClient.Version.HTTP_1_1)
          .build();
  private final String base;
  private final ServiceToken token;

  OutboxStore(String base, ServiceToken token) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.token = token;
  }

  /**
   * @throws IOException when sync-service cannot be asked right now: a temporary failure
   */
  Queued read(AccountId account, UUID outboxId)
      throws IOException, InterruptedException, GoneException {
    String path = base + "/internal/accounts/" + account + "/outbox/" + outboxId;
    // Both at once: the two answers are independent, and one round trip less per message counts
    // when an account's messages are sent one after the other (bench/send).
    var viewAnswer = http.sendAsync(request(path), HttpResponse.BodyHandlers.ofByteArray());
    var mimeAnswer =
        http.sendAsync(request(path + "/mime"), HttpResponse.BodyHandlers.ofByteArray());
    HttpResponse<byte[]> view = checked(join(viewAnswer));
    HttpResponse<byte[]> mime = checked(join(mimeAnswer));
    JsonNode json = EventCodec.mapper().readTree(view.body());
    List<String> recipients = new ArrayList<>();
    json.path("recipients").forEach(r -> recipients.add(r.asText()));
    return new Queued(
        json.path("envelopeFrom").asText(null),
        recipients,
        json.path("state").asText(),
        json.path("sentMailbox").asText(null),
        mime.body());
  }

  private static HttpResponse<byte[]> join(
      java.util.concurrent.CompletableFuture<HttpResponse<byte[]>> answer)
      throws IOException, InterruptedException {
    try {
      return answer.get();
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    }
  }

  private HttpRequest request(String uri) throws IOException {
    String bearer;
    try {
      bearer = token.get();
    } catch (RuntimeException e) {
      // Keycloak unreachable or the client refused: temporary for the send, which is retried.
      throw new IOException("no service token for sync-service: " + e.getMessage(), e);
    }
    return HttpRequest.newBuilder(URI.create(uri))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + bearer)
        .GET()
        .build();
  }

  private static HttpResponse<byte[]> checked(HttpResponse<byte[]> r)
      throws IOException, GoneException {
    if (r.statusCode() == 404) {
      throw new GoneException("the outbox has no such message");
    }
    if (r.statusCode() != 200) {
      throw new IOException("sync-service answered HTTP " + r.statusCode() + " for the outbox");
    }
    return r;
  }
}
