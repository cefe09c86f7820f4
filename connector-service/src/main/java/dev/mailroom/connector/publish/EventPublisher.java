package dev.mailroom.connector.publish;

import dev.mailroom.events.EventCodec;
import dev.mailroom.events.MailroomEvent;
import dev.mailroom.events.Topics;
import dev.mailroom.events.cloudevents.CloudEventHeaders;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Puts events on Kafka as CloudEvents in binary mode, keyed by account id so that one account's
 * events keep their order. The producer is idempotent (the Kafka default), so retries neither
 * reorder nor duplicate within a partition.
 *
 * <p>Mail events go straight to the {@code mail-out} channel's own producer ({@link MailProducer}),
 * configured by the channel as the others are: a first sync sends tens of thousands of them, and
 * the emitter's way (a stream per channel, a context cleared and restored for each record, a thread
 * of its own handing them on) cost more CPU than the producer's own work. The rarer connection and
 * outbox events keep their emitters.
 */
@ApplicationScoped
public class EventPublisher {

  static final String SERVICE = "connector-service";

  /**
   * Room left in a produce request beside the event itself: the record's key, its CloudEvents
   * headers and the batch's own framing.
   */
  private static final int RECORD_OVERHEAD = 8 * 1024;

  private final MailProducer mail;

  private final Emitter<byte[]> connection;
  private final Emitter<byte[]> outbox;
  private final Clock clock;
  private final int maxEventBytes;

  /** For a publisher that sends through another one (a test's, with faults); sends nothing. */
  EventPublisher(int maxRequestSize) {
    this(null, null, "", null, null, Clock.systemUTC(), maxRequestSize);
  }

  /**
   * @param mailChannel never sent to: it gives the {@code mail-out} channel a sender, so that
   *     SmallRye wires the channel and creates its producer, which {@link MailProducer} uses
   */
  @jakarta.inject.Inject
  EventPublisher(
      @Channel("mail-out") Emitter<byte[]> mailChannel,
      KafkaClientService kafka,
      @ConfigProperty(name = "mp.messaging.outgoing.mail-out.topic") String mailTopic,
      @Channel("connection-out") Emitter<byte[]> connection,
      @Channel("outbox-out") Emitter<byte[]> outbox,
      Clock clock,
      @ConfigProperty(
              name = "mp.messaging.outgoing.mail-out.max.request.size",
              defaultValue = "1048576")
          int maxRequestSize) {
    this.mail =
        new MailProducer(
            mailTopic,
            () -> kafka.<String, byte[]>getProducer("mail-out").unwrap(),
            MailProducer.BLOCKED_PAUSE);
    this.connection = connection;
    this.outbox = outbox;
    this.clock = clock;
    this.maxEventBytes = maxRequestSize - RECORD_OVERHEAD;
  }

  /**
   * An event larger than the producer's {@code max.request.size} allows, refused before sending.
   */
  public static final class EventTooLargeException extends RuntimeException {
    EventTooLargeException(String type, int bytes, int limit) {
      super(type + " of " + bytes + " bytes is over the " + limit + " bytes an event may have");
    }
  }

  /**
   * Whether a failure says the event is too large: refused here, or by the producer or the broker
   * ({@code RecordTooLargeException}, also for a topic whose {@code max.message.bytes} is below the
   * producer's limit).
   */
  public static boolean tooLarge(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof EventTooLargeException || t instanceof RecordTooLargeException) {
        return true;
      }
    }
    return false;
  }

  /** Whether a future that has already failed failed because its event is too large. */
  public static boolean tooLarge(CompletableFuture<Void> sent) {
    try {
      sent.getNow(null);
      return false;
    } catch (CompletionException | CancellationException e) {
      return tooLarge(e.getCause());
    }
  }

  /**
   * @return completes when the broker has the event
   */
  public CompletableFuture<Void> publish(MailroomEvent event) {
    RecordHeaders headers = new RecordHeaders();
    CloudEventHeaders.of(event, SERVICE, clock.instant())
        .forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
    String key = event.accountId().toString();
    byte[] payload = EventCodec.encode(event);
    if (payload.length > maxEventBytes) {
      return CompletableFuture.failedFuture(
          new EventTooLargeException(event.type().ceType(), payload.length, maxEventBytes));
    }
    return switch (event.type().topic()) {
      case Topics.MAIL -> mail.send(key, payload, headers);
      case Topics.CONNECTION -> send(connection, key, payload, headers);
      case Topics.OUTBOX -> send(outbox, key, payload, headers);
      default ->
          throw new IllegalArgumentException("the connector does not publish " + event.type());
    };
  }

  private static CompletableFuture<Void> send(
      Emitter<byte[]> emitter, String key, byte[] payload, RecordHeaders headers) {
    CompletableFuture<Void> sent = new CompletableFuture<>();
    var metadata =
        OutgoingKafkaRecordMetadata.<String>builder().withKey(key).withHeaders(headers).build();
    emitter.send(
        Message.of(payload)
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
