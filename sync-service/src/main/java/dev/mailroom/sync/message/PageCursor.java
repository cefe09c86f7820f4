package dev.mailroom.sync.message;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * Where a page of a mailbox ends: the (internal date, UID) of its last row. The next page starts
 * strictly after it, so pagination is a keyset seek on the page index and never an OFFSET scan.
 * Opaque to clients.
 */
record PageCursor(Instant internalDate, long uid) {

  String encode() {
    String plain = internalDate.getEpochSecond() + "." + internalDate.getNano() + ":" + uid;
    return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }

  /** @throws IllegalArgumentException with a message a caller can act on */
  static PageCursor decode(String text) {
    try {
      String plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
      int colon = plain.indexOf(':');
      int dot = plain.indexOf('.');
      long seconds = Long.parseLong(plain.substring(0, dot));
      int nanos = Integer.parseInt(plain.substring(dot + 1, colon));
      return new PageCursor(Instant.ofEpochSecond(seconds, nanos), Long.parseLong(plain.substring(colon + 1)));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("cursor is not one this API gave out; start again without it");
    }
  }
}
