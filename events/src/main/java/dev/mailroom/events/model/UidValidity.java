package dev.mailroom.events.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A mailbox's UIDVALIDITY: a non-zero unsigned 32-bit number (RFC 9051 §2.3.1.1). When it changes,
 * every UID the client knew for the mailbox is void.
 */
public record UidValidity(long value) {

  public UidValidity {
    if (value < 1 || value > Uid.MAX) {
      throw new IllegalArgumentException("UIDVALIDITY out of range 1.." + Uid.MAX + ": " + value);
    }
  }

  @JsonCreator
  public static UidValidity of(long value) {
    return new UidValidity(value);
  }

  @JsonValue
  public long value() {
    return value;
  }

  @Override
  public String toString() {
    return Long.toString(value);
  }
}
