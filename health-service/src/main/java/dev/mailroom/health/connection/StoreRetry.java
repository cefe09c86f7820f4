package dev.mailroom.health.connection;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Applies a connection event again, after growing pauses, for as long as the database is away
 * (SQLSTATE classes 08 connection, 40 rollback such as a deadlock with the sweep, 53 resources, 57
 * operator intervention). Such a failure must not reach SmallRye: a nacked record ends the channel
 * for good ({@code failure-strategy=fail}), and skipping it would lose a status change. The offset
 * is not committed meanwhile, so a restart replays the event, which the rules absorb (an event no
 * newer than the stored one changes nothing). Any other failure is thrown at once.
 *
 * <p>While it waits, {@link ConsumerReadiness} reports the service not ready.
 */
@ApplicationScoped
public class StoreRetry {

  static final Duration FIRST_PAUSE = Duration.ofMillis(500);
  static final Duration LONGEST_PAUSE = Duration.ofSeconds(30);

  /** One consumer thread applies connection events, so there is at most one stall. */
  private volatile Stall stall;

  /** Since when the consumer waits for the database, after how many attempts, and why. */
  public record Stall(Instant since, int attempts, String reason) {}

  public void run(Runnable action) {
    Instant since = null;
    try {
      for (int attempt = 1; ; attempt++) {
        try {
          action.run();
          if (since != null) {
            Log.infof(
                "connection event applied after %d attempts in %d s",
                attempt, Duration.between(since, Instant.now()).toSeconds());
          }
          return;
        } catch (RuntimeException e) {
          if (!isTransient(e)) {
            throw e;
          }
          since = since == null ? Instant.now() : since;
          Duration pause = pause(attempt);
          stall = new Stall(since, attempt, String.valueOf(e.getMessage()));
          if (attempt == 1 || attempt % 10 == 0) {
            Log.warnf(
                "applying a connection event failed (attempt %d), retrying in %d ms: %s",
                attempt, pause.toMillis(), e.getMessage());
          }
          Thread.sleep(pause);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the database", e);
    } finally {
      stall = null;
    }
  }

  Optional<Stall> stall() {
    return Optional.ofNullable(stall);
  }

  /** 0.5 s, doubling, at most 30 s. */
  static Duration pause(int attempt) {
    long millis = FIRST_PAUSE.toMillis() << Math.min(attempt - 1, 16);
    return Duration.ofMillis(Math.min(millis, LONGEST_PAUSE.toMillis()));
  }

  static boolean isTransient(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException sql
          && sql.getSQLState() != null
          && sql.getSQLState().length() >= 2) {
        return switch (sql.getSQLState().substring(0, 2)) {
          case "08", "40", "53", "57" -> true;
          default -> false;
        };
      }
      if (t instanceof java.net.ConnectException) {
        return true;
      }
    }
    return false;
  }
}
