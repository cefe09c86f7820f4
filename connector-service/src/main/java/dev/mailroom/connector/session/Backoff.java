package dev.mailroom.connector.session;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;

/**
 * Reconnect delays for one account: doubled per consecutive failure up to a ceiling, with "full
 * jitter" (a uniform draw below the ceiling of the step) so that accounts that failed together do
 * not all retry together. One instance per account: a failing account never slows another.
 */
public final class Backoff {

  private final Duration initial;
  private final Duration max;
  private final RandomGenerator random;
  private int failures;

  public Backoff(Duration initial, Duration max, RandomGenerator random) {
    this.initial = initial;
    this.max = max;
    this.random = random;
  }

  /** The delay before the next attempt, counting this failure. */
  public Duration nextDelay() {
    failures++;
    long ceiling = initial.toMillis() << Math.min(failures - 1, 20);
    ceiling = Math.min(ceiling, max.toMillis());
    long floor = Math.min(initial.toMillis(), ceiling);
    return Duration.ofMillis(floor + (long) (random.nextDouble() * (ceiling - floor)));
  }

  /**
   * Sleeps for {@link #nextDelay}; only {@code stopped} cuts it short, not a stray interrupt (a
   * stop sets its flag before it interrupts).
   */
  public void pause(BooleanSupplier stopped) {
    Duration delay = nextDelay();
    long until = System.nanoTime() + delay.toNanos();
    for (long left = delay.toNanos();
        !stopped.getAsBoolean() && left > 0;
        left = until - System.nanoTime()) {
      try {
        Thread.sleep(Duration.ofNanos(left));
      } catch (InterruptedException e) {
        // the loop's condition decides
      }
    }
  }

  public void reset() {
    failures = 0;
  }

  public int failures() {
    return failures;
  }
}
