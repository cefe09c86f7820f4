package dev.mailroom.sync.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class TransientRetryTest {

  private final TransientRetry retry = new TransientRetry();

  @Test
  void aDeadLetterTheBrokerDidNotTakeInTimeIsSentAgainUntilItIs() {
    AtomicInteger attempts = new AtomicInteger();
    String result =
        retry.call(
            "dead letter",
            () -> {
              if (attempts.incrementAndGet() < 3) {
                // What the emitter's nack carries once delivery.timeout.ms has passed during an
                // outage.
                throw new CompletionException(
                    new TimeoutException("Expiring 1 record(s): 120000 ms has passed"));
              }
              return "sent";
            });
    assertThat(result).isEqualTo("sent");
    assertThat(attempts).hasValue(3);
    assertThat(retry.stalls()).isEmpty();
  }

  @Test
  void aDatabaseThatIsAwayIsWaitedForAndReportedWhileItIs() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    var seenWhileWaiting = new java.util.concurrent.CopyOnWriteArrayList<TransientRetry.Stall>();
    retry.run(
        "applying mail events",
        () -> {
          seenWhileWaiting.addAll(retry.stalls());
          if (attempts.incrementAndGet() < 2) {
            throw new MailStore.StoreException(new SQLException("Connection refused", "08001"));
          }
        });
    assertThat(seenWhileWaiting)
        .singleElement()
        .satisfies(
            stall -> {
              assertThat(stall.step()).isEqualTo("applying mail events");
              assertThat(stall.reason()).contains("Connection refused");
            });
    assertThat(retry.stalls()).isEmpty();
  }

  @Test
  void aRefusalIsThrownAtOnceUnchanged() {
    AtomicInteger attempts = new AtomicInteger();
    var tooLarge = new RecordTooLargeException("too large for the topic");
    assertThatThrownBy(
            () ->
                retry.run(
                    "dead letter",
                    () -> {
                      attempts.incrementAndGet();
                      throw tooLarge;
                    }))
        .isSameAs(tooLarge);
    var refused = new MailStore.StoreException(new SQLException("value too long", "22001"));
    assertThatThrownBy(
            () ->
                retry.run(
                    "applying mail events",
                    () -> {
                      attempts.incrementAndGet();
                      throw refused;
                    }))
        .isSameAs(refused);
    assertThat(attempts).hasValue(2);
    assertThat(retry.stalls()).isEmpty();
  }

  @Test
  void pausesGrowFromHalfASecondToThirtySeconds() {
    assertThat(TransientRetry.pause(1)).isEqualTo(Duration.ofMillis(500));
    assertThat(TransientRetry.pause(2)).isEqualTo(Duration.ofSeconds(1));
    assertThat(TransientRetry.pause(6)).isEqualTo(Duration.ofSeconds(16));
    assertThat(TransientRetry.pause(7)).isEqualTo(Duration.ofSeconds(30));
    assertThat(TransientRetry.pause(1_000)).isEqualTo(Duration.ofSeconds(30));
  }
}
