package dev.mailroom.sync.outbox;

import dev.mailroom.events.EventCodec;
import dev.mailroom.events.cloudevents.CloudEventHeaders;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.outbox.SendRequested;
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
 * Puts each queued outbox row on mailroom.outbox.v1 as a send request, then marks it relayed. The
 * row is written first and the request follows from it: a broker that is away delays the request
 * (the next round sends it), it never loses it, and no request exists without its row. A crash
 * between the send and the mark sends the request again with the same {@code ce_id}; the
 * connector's outcome for that outbox id makes the second one a no-op.
 */
@ApplicationScoped
public class OutboxRelay {

  static final String SERVICE = "sync-service";
  private static final long ROUND_MS = 1000;

  private final Emitter<byte[]> out;
  private final Clock clock = Clock.systemUTC();
  private ScheduledExecutorService timer;

  OutboxRelay(@Channel("outbox-out") Emitter<byte[]> out) {
    this.out = out;
  }

  void start(@Observes StartupEvent ignored) {
    timer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("outbox-relay").factory());
    timer.scheduleWithFixedDelay(this::relayQuietly, 0, ROUND_MS, TimeUnit.MILLISECONDS);
  }

  void stop(@Observes ShutdownEvent ignored) {
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  /** A message was just queued: relay it now rather than at the next round. */
  void wake() {
    if (timer != null && !timer.isShutdown()) {
      timer.execute(this::relayQuietly);
    }
  }

  private void relayQuietly() {
    try {
      relay();
    } catch (RuntimeException e) {
      Log.warnf("outbox relay failed, retrying in %d ms: %s", ROUND_MS, e.getMessage());
    }
  }

  /** In creation order; a send the broker refuses ends the round, the rest wait for the next. */
  void relay() {
    List<Object[]> pending =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    OutboxMessage.getEntityManager()
                        .createQuery(
                            "select id, accountId, messageId, sizeBytes, createdAt from OutboxMessage"
                                + " where relayedAt is null order by createdAt",
                            Object[].class)
                        .setMaxResults(100)
                        .getResultList());
    for (Object[] row : pending) {
      var event =
          new SendRequested(
              AccountId.of(row[1].toString()),
              (java.util.UUID) row[0],
              (String) row[2],
              ((Number) row[3]).longValue(),
              (java.time.Instant) row[4]);
      send(event).join();
      QuarkusTransaction.requiringNew()
          .run(
              () ->
                  OutboxMessage.update(
                      "relayedAt = ?1 where id = ?2", clock.instant(), event.outboxId()));
    }
  }

  private CompletableFuture<Void> send(SendRequested event) {
    RecordHeaders headers = new RecordHeaders();
    CloudEventHeaders.of(event, SERVICE, clock.instant())
        .forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
    var metadata =
        OutgoingKafkaRecordMetadata.<String>builder()
            .withKey(event.accountId().toString())
            .withHeaders(headers)
            .build();
    CompletableFuture<Void> sent = new CompletableFuture<>();
    out.send(
        Message.of(EventCodec.encode(event))
            .addMetadata(metadata)
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
