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

  /**
   * The widest internal dates a cursor may carry. PostgreSQL's timestamptz ends in 294276 AD and
   * {@code java.sql.Timestamp} refuses far less than Instant allows, so a forged cursor with a huge
   * number of seconds used to fail inside the query (HTTP 500, a 502 at the gateway) instead of
   * being refused as bad input. No IMAP server dates mail outside these years.
   */
  static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");

  static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

  /** RFC 9051 §2.3.1.1: a UID is a non-zero unsigned 32-bit number. */
  static final long MAX_UID = 4_294_967_295L;

  String encode() {
    String plain = internalDate.getEpochSecond() + "." + internalDate.getNano() + ":" + uid;
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * @throws IllegalArgumentException with a message a caller can act on
   */
  static PageCursor decode(String text) {
    PageCursor cursor;
    try {
      String plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
      int colon = plain.indexOf(':');
      int dot = plain.indexOf('.');
      long seconds = Long.parseLong(plain.substring(0, dot));
      int nanos = Integer.parseInt(plain.substring(dot + 1, colon));
      if (nanos < 0 || nanos > 999_999_999) {
        throw new IllegalArgumentException("nanoseconds out of range");
      }
      cursor =
          new PageCursor(
              Instant.ofEpochSecond(seconds, nanos), Long.parseLong(plain.substring(colon + 1)));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "cursor is not one this API gave out; start again without it");
    }
    if (cursor.internalDate.isBefore(EARLIEST)
        || cursor.internalDate.isAfter(LATEST)
        || cursor.uid < 1
        || cursor.uid > MAX_UID) {
      throw new IllegalArgumentException(
          "cursor is not one this API gave out; start again without it");
    }
    return cursor;
  }
}
