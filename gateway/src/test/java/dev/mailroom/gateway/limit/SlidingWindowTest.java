package dev.mailroom.gateway.limit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SlidingWindowTest {

  private final AtomicLong now = new AtomicLong(1_000_000_000_000L);
  private final SlidingWindow window = new SlidingWindow(3, Duration.ofSeconds(60), now::get);

  @Test
  void theFourthInTheWindowWaitsUntilTheFirstLeavesIt() {
    assertThat(window.tryAcquire("demo")).isEmpty();
    now.addAndGet(Duration.ofSeconds(10).toNanos());
    assertThat(window.tryAcquire("demo")).isEmpty();
    assertThat(window.tryAcquire("demo")).isEmpty();
    assertThat(window.tryAcquire("demo")).isEqualTo(OptionalLong.of(50));
    // Another user has a window of their own.
    assertThat(window.tryAcquire("eve")).isEmpty();
    now.addAndGet(Duration.ofMillis(49_500).toNanos());
    assertThat(window.tryAcquire("demo")).as("rounded up, never 0").isEqualTo(OptionalLong.of(1));
    now.addAndGet(Duration.ofMillis(500).toNanos());
    assertThat(window.tryAcquire("demo")).isEmpty();
    assertThat(window.tryAcquire("demo")).isEqualTo(OptionalLong.of(10));
  }
}
