package dev.mailroom.health.status;

import dev.mailroom.events.EventCodec;
import dev.mailroom.events.cloudevents.CloudEventHeaders;
import dev.mailroom.events.status.AccountStatusChanged;
import dev.mailroom.health.config.HealthConfig;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Runs the two timers of the service: the sweep that applies the disconnect window, and the relay
 * that puts the outbox on the account-status topic (in order, then deletes what the broker has).
 *
 * <p>Each has its own thread, and the relay holds no transaction while it waits for the broker: a
 * broker that does not answer delays the status events (they stay in the outbox, and the next round
 * sends them again), never the sweep nor a database connection.
 */
@ApplicationScoped
public class StatusRelay {

  static final String SERVICE = "health-service";

  private final Emitter<byte[]> status;
  private final AccountStatusService statuses;
  private final HealthConfig config;
  private final Clock clock;
  private final io.micrometer.core.instrument.MeterRegistry metrics;
  private ScheduledExecutorService sweepTimer;
  private ScheduledExecutorService relayTimer;

  StatusRelay(
      @Channel("account-status-out") Emitter<byte[]> status,
      AccountStatusService statuses,
      HealthConfig config,
      Clock clock,
      io.micrometer.core.instrument.MeterRegistry metrics) {
    this.status = status;
    this.statuses = statuses;
    this.config = config;
    this.clock = clock;
    this.metrics = metrics;
  }

  void start(@Observes StartupEvent ignored) {
    sweepTimer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("status-sweep").factory());
    sweepTimer.scheduleWithFixedDelay(
        this::sweepQuietly, 0, config.sweepInterval().toMillis(), TimeUnit.MILLISECONDS);
    relayTimer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("status-relay").factory());
    relayTimer.scheduleWithFixedDelay(
        this::relayQuietly, 0, config.relayInterval().toMillis(), TimeUnit.MILLISECONDS);
  }

  void stop(@Observes ShutdownEvent ignored) {
    for (ScheduledExecutorService timer : new ScheduledExecutorService[] {sweepTimer, relayTimer}) {
      if (timer != null) {
        timer.shutdownNow();
      }
    }
  }

  private void sweepQuietly() {
    try {
      statuses.sweep();
    } catch (RuntimeException e) {
      Log.warnf("status sweep failed, next one in %s: %s", config.sweepInterval(), e.getMessage());
    }
  }

  private void relayQuietly() {
    try {
      relay();
    } catch (RuntimeException e) {
      Log.warnf("status relay failed, retrying in %s: %s", config.relayInterval(), e.getMessage());
    }
  }

  /**
   * Sends the pending events in order and deletes each once the broker has it. A send that fails
   * (the broker did not take it within the producer's delivery.timeout.ms) ends the round: that
   * event and the later ones stay, to be sent first next time.
   */
  void relay() {
    List<StatusOutbox> pending =
        QuarkusTransaction.requiringNew()
            .call(() -> StatusOutbox.<StatusOutbox>find("order by seq").page(0, 100).list());
    for (StatusOutbox row : pending) {
      send(row).join();
      QuarkusTransaction.requiringNew().run(() -> StatusOutbox.deleteById(row.seq));
      if (row.payload != null) {
        // Counted once the broker has it: the dashboards' disconnects and the alert on them
        // (deploy/k8s/base/monitoring). A re-sent event after a crash may be counted twice.
        AccountStatusChanged event =
            (AccountStatusChanged)
                EventCodec.decode(
                    dev.mailroom.events.EventType.ACCOUNT_STATUS_CHANGED.ceType(), row.payload);
        metrics
            .counter("mailroom.health.status.changes", "status", event.status().name())
            .increment();
      }
    }
  }

  private CompletableFuture<Void> send(StatusOutbox row) {
    if (row.payload == null) {
      // A deleted account (AccountStatusService.forget): a tombstone, so compaction drops its
      // status.
      return send(Message.of((byte[]) null), row);
    }
    AccountStatusChanged event =
        (AccountStatusChanged)
            EventCodec.decode(
                dev.mailroom.events.EventType.ACCOUNT_STATUS_CHANGED.ceType(), row.payload);
    RecordHeaders headers = new RecordHeaders();
    CloudEventHeaders.of(event, SERVICE, clock.instant())
        .forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
    var metadata =
        OutgoingKafkaRecordMetadata.<String>builder()
            .withKey(row.accountId.toString())
            .withHeaders(headers)
            .build();
    return send(Message.of(row.payload).addMetadata(metadata), row);
  }

  private CompletableFuture<Void> send(Message<byte[]> message, StatusOutbox row) {
    if (message.getMetadata(OutgoingKafkaRecordMetadata.class).isEmpty()) {
      message =
          message.addMetadata(
              OutgoingKafkaRecordMetadata.<String>builder()
                  .withKey(row.accountId.toString())
                  .build());
    }
    CompletableFuture<Void> sent = new CompletableFuture<>();
    status.send(
        message
            .withAck(
                () -> {
                  sent.complete(null);
                  return CompletableFuture.completedFuture(null);
                })
            .withNack(
                failure -> {
                  sent.completeExceptionally(failure);
                  return CompletableFuture.completedFuture(null);
                }));
    return sent;
  }
}
