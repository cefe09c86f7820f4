package dev.mailroom.connector.publish;

import dev.mailroom.events.EventCodec;
import dev.mailroom.events.MailroomEvent;
import dev.mailroom.events.Topics;
import dev.mailroom.events.cloudevents.CloudEventHeaders;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Puts events on Kafka as CloudEvents in binary mode, keyed by account id so that one account's
 * events keep their order. The producer is idempotent (the Kafka default), so retries neither
 * reorder nor duplicate within a partition.
 */
@ApplicationScoped
public class EventPublisher {

  static final String SERVICE = "connector-service";

  private final Emitter<byte[]> mail;
  private final Emitter<byte[]> connection;
  private final Clock clock;

  EventPublisher(
      @Channel("mail-out") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 20_000)
          Emitter<byte[]> mail,
      @Channel("connection-out") Emitter<byte[]> connection,
      Clock clock) {
    this.mail = mail;
    this.connection = connection;
    this.clock = clock;
  }

  /** @return completes when the broker has the event */
  public CompletableFuture<Void> publish(MailroomEvent event) {
    Emitter<byte[]> emitter = switch (event.type().topic()) {
      case Topics.MAIL -> mail;
      case Topics.CONNECTION -> connection;
      default -> throw new IllegalArgumentException("the connector does not publish " + event.type());
    };
    RecordHeaders headers = new RecordHeaders();
    CloudEventHeaders.of(event, SERVICE, clock.instant())
        .forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
    var metadata = OutgoingKafkaRecordMetadata.<String>builder()
        .withKey(event.accountId().toString())
        .withHeaders(headers)
        .build();
    CompletableFuture<Void> sent = new CompletableFuture<>();
    emitter.send(Message.of(EventCodec.encode(event))
        .addMetadata(metadata)
        .withAck(() -> {
          sent.complete(null);
          return CompletableFuture.completedFuture(null);
        })
        .withNack(failure -> {
          sent.completeExceptionally(failure);
          return CompletableFuture.completedFuture(null);
        }));
    return sent;
  }
}
