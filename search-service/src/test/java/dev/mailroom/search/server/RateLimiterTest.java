package dev.mailroom.search.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.events.model.AccountId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

  static final class StepClock extends Clock {
    Instant now = Instant.parse("2026-12-01T00:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void aBurstThenOnePerIntervalAndAccountsApart() {
    StepClock clock = new StepClock();
    RateLimiter limiter = new RateLimiter(30, 3, clock);
    AccountId a = AccountId.random();
    AccountId b = AccountId.random();
    assertThat(limiter.tryAcquire(a)).isTrue();
    assertThat(limiter.tryAcquire(a)).isTrue();
    assertThat(limiter.tryAcquire(a)).isTrue();
    assertThat(limiter.tryAcquire(a)).as("burst spent").isFalse();
    assertThat(limiter.tryAcquire(b)).as("another account has its own bucket").isTrue();
    clock.now = clock.now.plus(Duration.ofMillis(1900));
    assertThat(limiter.tryAcquire(a)).as("30 a minute: one token every 2 s").isFalse();
    clock.now = clock.now.plus(Duration.ofMillis(200));
    assertThat(limiter.tryAcquire(a)).isTrue();
    clock.now = clock.now.plus(Duration.ofHours(1));
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.tryAcquire(a)).isTrue();
    }
    assertThat(limiter.tryAcquire(a)).as("never more than the burst saved up").isFalse();
  }
}
