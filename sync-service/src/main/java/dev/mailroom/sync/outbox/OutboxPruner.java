package dev.mailroom.sync.outbox;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Removes outbox messages whose sending is over (sent, or failed for good) once they are older than
 * the retention, MIME and attachments with them: the outbox is a queue, not an archive (the copy in
 * Sent is the record of what was sent). Their state is readable through the API until then.
 */
@ApplicationScoped
public class OutboxPruner {

  private final Duration retention;
  private final Duration every;
  private final Clock clock = Clock.systemUTC();
  private ScheduledExecutorService timer;

  OutboxPruner(
      @ConfigProperty(name = "mailroom.outbox.retention", defaultValue = "7d") Duration retention,
      @ConfigProperty(name = "mailroom.outbox.prune-every", defaultValue = "1h") Duration every) {
    this.retention = retention;
    this.every = every;
  }

  void start(@Observes StartupEvent ignored) {
    timer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("outbox-pruner").factory());
    timer.scheduleWithFixedDelay(
        this::pruneQuietly, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
  }

  void stop(@Observes ShutdownEvent ignored) {
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  private void pruneQuietly() {
    try {
      prune();
    } catch (RuntimeException e) {
      Log.warnf("pruning the outbox failed, retrying in %s: %s", every, e.getMessage());
    }
  }

  /**
   * Deletes the final messages last changed before now minus the retention; a message still queued
   * or retrying stays whatever its age (the connector gives up on it after its own limit).
   *
   * @return how many were deleted
   */
  public int prune() {
    var before = clock.instant().minus(retention);
    int deleted =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    OutboxMessage.getEntityManager()
                        .createNativeQuery(
                            "delete from outbox_message where state in ('sent', 'failed')"
                                + " and updated_at < :before")
                        .setParameter("before", before)
                        .executeUpdate());
    if (deleted > 0) {
      Log.infof("outbox: pruned %d sent or failed message(s) older than %s", deleted, retention);
    }
    return deleted;
  }
}
