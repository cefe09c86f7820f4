package dev.mailroom.health.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.persistence.PersistenceException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StoreRetryTest {

  private final StoreRetry retry = new StoreRetry();

  @Test
  void aDatabaseThatIsAwayIsWaitedForAndReportedWhileItIs() {
    AtomicInteger attempts = new AtomicInteger();
    List<StoreRetry.Stall> seen = new ArrayList<>();
    retry.run(
        () -> {
          retry.stall().ifPresent(seen::add);
          if (attempts.incrementAndGet() < 2) {
            // What Hibernate throws when PostgreSQL refuses the connection.
            throw new PersistenceException(
                "could not prepare statement",
                new SQLException("Connection to 127.0.0.1:15432 refused", "08001"));
          }
        });
    assertThat(attempts).hasValue(2);
    assertThat(seen)
        .singleElement()
        .satisfies(s -> assertThat(s.reason()).contains("could not prepare"));
    assertThat(retry.stall()).isEmpty();
  }

  @Test
  void aDeadlockWithTheSweepIsRetriedToo() {
    assertThat(
            StoreRetry.isTransient(
                new PersistenceException(new SQLException("deadlock detected", "40P01"))))
        .isTrue();
  }

  @Test
  void anyOtherFailureIsThrownAtOnce() {
    AtomicInteger attempts = new AtomicInteger();
    var refused = new PersistenceException(new SQLException("null value in column", "23502"));
    assertThatThrownBy(
            () ->
                retry.run(
                    () -> {
                      attempts.incrementAndGet();
                      throw refused;
                    }))
        .isSameAs(refused);
    assertThat(attempts).hasValue(1);
    assertThat(retry.stall()).isEmpty();
  }

  @Test
  void pausesGrowFromHalfASecondToThirtySeconds() {
    assertThat(StoreRetry.pause(1)).isEqualTo(Duration.ofMillis(500));
    assertThat(StoreRetry.pause(3)).isEqualTo(Duration.ofSeconds(2));
    assertThat(StoreRetry.pause(50)).isEqualTo(Duration.ofSeconds(30));
  }
}
