package dev.mailroom.connector.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffTest {

  /** Draws as high as it can: each delay is the ceiling of its step. */
  private static final RandomGenerator HIGHEST = () -> -1L;

  @Test
  void doublesUpToTheCeilingAndStartsOverAfterAReset() {
    Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(5), HIGHEST);
    assertThat(backoff.nextDelay()).isLessThanOrEqualTo(Duration.ofSeconds(1));
    assertThat(backoff.nextDelay()).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
    assertThat(backoff.nextDelay()).isBetween(Duration.ofSeconds(3), Duration.ofSeconds(4));
    assertThat(backoff.nextDelay()).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(5));
    assertThat(backoff.nextDelay()).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(5));
    assertThat(backoff.failures()).isEqualTo(5);
    backoff.reset();
    assertThat(backoff.nextDelay()).isLessThanOrEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void aStrayInterruptDoesNotCutThePauseShort() {
    Backoff backoff = new Backoff(Duration.ofMillis(300), Duration.ofMillis(300), HIGHEST);
    Thread.currentThread().interrupt();
    long started = System.nanoTime();
    backoff.pause(() -> false);
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));
    Thread.interrupted(); // whatever the pause left, not for the next test
  }

  @Test
  void aStopEndsThePauseAtOnce() throws Exception {
    Backoff backoff = new Backoff(Duration.ofMinutes(5), Duration.ofMinutes(5), HIGHEST);
    AtomicBoolean stopped = new AtomicBoolean();
    Thread pausing = Thread.ofVirtual().start(() -> backoff.pause(stopped::get));
    Thread.sleep(100);
    stopped.set(true);
    pausing.interrupt(); // as AccountSession.stop does, after setting its flag
    pausing.join(Duration.ofSeconds(5));
    assertThat(pausing.isAlive()).isFalse();
  }
}
