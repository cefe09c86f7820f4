package dev.mailroom.sync.ingest;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Runs a step of ingestion again, after growing pauses, for as long as it fails for a reason that
 * passes with time: the database is away ({@link StoreFailures}) or the broker does not answer (a
 * Kafka {@link RetriableException}, e.g. a dead letter not delivered within {@code
 * delivery.timeout.ms}). Such a failure must not reach SmallRye: a nacked record ends the channel
 * for good ({@code failure-strategy=fail}), and skipping the record would lose it. The record's
 * offset is not committed while its step waits, so a restart in between replays it, which the
 * idempotent store absorbs. Any other failure is thrown at once, to the caller's own handling.
 *
 * <p>While a step waits, {@link IngestReadiness} says so: the service is alive (a restart would not
 * help) but not ready.
 */
@ApplicationScoped
public class TransientRetry {

  static final Duration FIRST_PAUSE = Duration.ofMillis(500);
  static final Duration LONGEST_PAUSE = Duration.ofSeconds(30);

  /** What is waiting, by step name: the mail and the account consumers may both wait at once. */
  private final Map<String, Stall> stalls = new ConcurrentHashMap<>();

  /** A step that waits for the database or the broker, since when, and its last failure. */
  public record Stall(String step, Instant since, int attempts, String reason) {}

  public void run(String step, Runnable action) {
    call(
        step,
        () -> {
          action.run();
          return null;
        });
  }

  /**
   * @throws RuntimeException the first failure that is not transient, unchanged
   */
  public <T> T call(String step, Supplier<T> action) {
    Instant since = null;
    try {
      for (int attempt = 1; ; attempt++) {
        try {
          T result = action.get();
          if (since != null) {
            Log.infof(
                "%s went through after %d attempts in %d s",
                step, attempt, Duration.between(since, Instant.now()).toSeconds());
          }
          return result;
        } catch (RuntimeException e) {
          if (!isTransient(e)) {
            throw e;
          }
          since = since == null ? Instant.now() : since;
          Duration pause = pause(attempt);
          stalls.put(step, new Stall(step, since, attempt, StoreFailures.reason(e)));
          if (attempt == 1 || attempt % 10 == 0) {
            Log.warnf(
                "%s failed (attempt %d), retrying in %d ms: %s",
                step, attempt, pause.toMillis(), StoreFailures.reason(e));
          }
          sleep(step, pause);
        }
      }
    } finally {
      if (since != null) {
        stalls.remove(step);
      }
    }
  }

  List<Stall> stalls() {
    return List.copyOf(stalls.values());
  }

  /** 0.5 s, doubling, at most 30 s: a blip costs half a second, an outage one try every 30 s. */
  static Duration pause(int attempt) {
    long millis = FIRST_PAUSE.toMillis() << Math.min(attempt - 1, 16);
    return Duration.ofMillis(Math.min(millis, LONGEST_PAUSE.toMillis()));
  }

  static boolean isTransient(Throwable failure) {
    if (StoreFailures.isTransient(failure)) {
      return true;
    }
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof RetriableException) {
        return true;
      }
    }
    return false;
  }

  private void sleep(String step, Duration pause) {
    try {
      Thread.sleep(pause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Interrupted(step, e);
    }
  }

  /**
   * The wait was interrupted (the service is stopping). Not a refusal: callers that dead-letter
   * what the store refuses must let this one through.
   */
  public static final class Interrupted extends RuntimeException {
    Interrupted(String step, InterruptedException cause) {
      super("interrupted while waiting to retry: " + step, cause);
    }
  }
}
