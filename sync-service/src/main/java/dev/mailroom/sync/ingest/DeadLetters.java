package dev.mailroom.sync.ingest;

import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Sends an event that cannot be applied to the dead-letter topic, unchanged, with headers that say
 * why and where it came from. The send is awaited, and tried again while the broker does not take
 * it (an outage: the producer gives up after {@code delivery.timeout.ms}): the source offset must
 * not be committed before the dead letter is safe. A refusal that retrying cannot fix (the record
 * is too large for the topic) is thrown, and ends the channel: a person must look.
 */
@ApplicationScoped
public class DeadLetters {

  static final String REASON = "mailroom_dlq_reason";
  static final String ORIGIN = "mailroom_dlq_origin";

  private final Emitter<byte[]> emitter;
  private final TransientRetry retry;
  private final io.micrometer.core.instrument.Counter sent;

  DeadLetters(
      @Channel("mail-dead-letter") Emitter<byte[]> emitter,
      TransientRetry retry,
      io.micrometer.core.instrument.MeterRegistry metrics) {
    this.emitter = emitter;
    this.retry = retry;
    // The dead-letter topic's growth: nothing reads it but people, so its depth is this count
    // (the alert in deploy/k8s/base/monitoring).
    this.sent = metrics.counter("mailroom.sync.events.dead_lettered");
  }

  public void send(ConsumerRecord<String, byte[]> record, String reason) {
    String origin = record.topic() + "-" + record.partition() + "@" + record.offset();
    Log.warnf("dead-lettering %s: %s", origin, reason);
    retry.run("dead letter of " + origin, () -> sendOnce(record, reason, origin));
    sent.increment();
  }

  private void sendOnce(ConsumerRecord<String, byte[]> record, String reason, String origin) {
    RecordHeaders headers = new RecordHeaders(record.headers().toArray());
    headers.add(REASON, reason.getBytes(StandardCharsets.UTF_8));
    headers.add(ORIGIN, origin.getBytes(StandardCharsets.UTF_8));
    var metadata =
        OutgoingKafkaRecordMetadata.<String>builder()
            .withKey(record.key())
            .withHeaders(headers)
            .build();
    byte[] value = record.value() == null ? new byte[0] : record.value();
    var sent = new CompletableFuture<Void>();
    emitter.send(
        Message.of(value)
            .addMetadata(metadata)
            .withAck(
                () -> {
                  sent.complete(null);
                  return CompletableFuture.completedFuture(null);
                })
            .withNack(
                e -> {
                  sent.completeExceptionally(e);
                  return CompletableFuture.completedFuture(null);
                }));
    try {
      sent.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }
}
