package dev.mailroom.sync.ingest;

import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Sends an event that cannot be applied to the dead-letter topic, unchanged, with headers that say
 * why and where it came from. The send is awaited: the source offset must not be committed before
 * the dead letter is safe.
 */
@ApplicationScoped
public class DeadLetters {

  static final String REASON = "mailroom_dlq_reason";
  static final String ORIGIN = "mailroom_dlq_origin";

  private final Emitter<byte[]> emitter;

  DeadLetters(@Channel("mail-dead-letter") Emitter<byte[]> emitter) {
    this.emitter = emitter;
  }

  public void send(ConsumerRecord<String, byte[]> record, String reason) {
    Log.warnf("dead-lettering %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), reason);
    RecordHeaders headers = new RecordHeaders(record.headers().toArray());
    headers.add(REASON, reason.getBytes(StandardCharsets.UTF_8));
    headers.add(
        ORIGIN,
        (record.topic() + "-" + record.partition() + "@" + record.offset()).getBytes(StandardCharsets.UTF_8));
    var metadata =
        OutgoingKafkaRecordMetadata.<String>builder().withKey(record.key()).withHeaders(headers).build();
    byte[] value = record.value() == null ? new byte[0] : record.value();
    Message<byte[]> message = Message.of(value).addMetadata(metadata);
    var sent = new java.util.concurrent.CompletableFuture<Void>();
    emitter.send(
        message
            .withAck(() -> {
              sent.complete(null);
              return java.util.concurrent.CompletableFuture.completedFuture(null);
            })
            .withNack(e -> {
              sent.completeExceptionally(e);
              return java.util.concurrent.CompletableFuture.completedFuture(null);
            }));
    sent.join();
  }
}
