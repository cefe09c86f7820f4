package dev.mailroom.events.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A CONDSTORE mod-sequence (RFC 7162 §3.1.1): an unsigned 63-bit number, so a Java {@code long} and
 * a PostgreSQL {@code bigint} hold every legal value. Zero means "the server keeps none".
 */
public record ModSeq(long value) implements Comparable<ModSeq> {

  public static final ModSeq NONE = new ModSeq(0);

  public ModSeq {
    if (value < 0) {
      throw new IllegalArgumentException("MODSEQ must be a 63-bit unsigned value: " + value);
    }
  }

  @JsonCreator
  public static ModSeq of(long value) {
    return new ModSeq(value);
  }

  @JsonValue
  public long value() {
    return value;
  }

  public boolean isNewerThan(ModSeq other) {
    return value > other.value;
  }

  @Override
  public int compareTo(ModSeq other) {
    return Long.compare(value, other.value);
  }

  @Override
  public String toString() {
    return Long.toString(value);
  }
}
