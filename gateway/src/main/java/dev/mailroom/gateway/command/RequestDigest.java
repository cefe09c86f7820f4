package dev.mailroom.gateway.command;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * What a request asked, as a SHA-256 hex digest of its parts after validation (action, message ids
 * in order, flags, destination): the same request sent again gives the same digest whatever its
 * JSON key order or spacing, so an Idempotency-Key reused for a different request can be told from
 * a retry (422 rather than the first command's answer).
 */
final class RequestDigest {

  private RequestDigest() {}

  static String of(String action, List<String> messageIds, Object... parts) {
    StringBuilder text = new StringBuilder(action);
    // Unit separators keep ["a,b"] and ["a","b"] apart.
    messageIds.forEach(m -> text.append('\u001f').append(m));
    text.append('\u001e');
    for (Object part : parts) {
      text.append(Objects.toString(part, "\u0000")).append('\u001f');
    }
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(text.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
