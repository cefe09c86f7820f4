package dev.mailroom.health;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the tests move by hand, so a 30-minute window takes no time to elapse. */
@Alternative
@Priority(1)
@Singleton
public class TestClock extends Clock {

  public static final Instant START = Instant.parse("2026-11-26T08:00:00Z");

  private volatile Instant now = START;

  public void set(Instant instant) {
    now = instant;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("the service works in UTC");
  }

  @Override
  public Instant instant() {
    return now;
  }
}
