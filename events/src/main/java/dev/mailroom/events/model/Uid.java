package dev.mailroom.events.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * An IMAP message UID: RFC 9051 §2.3.1.1 makes it a non-zero unsigned 32-bit number, so it does not
 * fit a Java {@code int}.
 */
public record Uid(long value) implements Comparable<Uid> {

  public static final long MAX = 0xFFFF_FFFFL;

  public Uid {
    if (value < 1 || value > MAX) {
      throw new IllegalArgumentException("UID out of range 1.." + MAX + ": " + value);
    }
  }

  @JsonCreator
  public static Uid of(long value) {
    return new Uid(value);
  }

  @JsonValue
  public long value() {
    return value;
  }

  @Override
  public int compareTo(Uid other) {
    return Long.compare(value, other.value);
  }

  @Override
  public String toString() {
    return Long.toString(value);
  }
}
