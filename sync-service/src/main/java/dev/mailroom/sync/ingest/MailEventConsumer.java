package dev.mailroom.sync.ingest;

import dev.mailroom.events.EventCodec;
import dev.mailroom.events.EventCodec.MalformedEventException;
import dev.mailroom.events.MailroomEvent;
import dev.mailroom.events.cloudevents.CloudEventHeaders;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.MDC;

/**
 * Reads the mail topic in batches and applies each batch in one database transaction. SmallRye
 * commits the batch's offsets only after this method returns, so only after the transaction has
 * committed: a crash in between replays the batch, which the idempotent store absorbs.
 *
 * <p>A database that is away is waited for ({@link TransientRetry}): the batch is tried again until
 * it goes through, instead of failing the channel. An event the database refuses goes to the
 * dead-letter topic and costs only itself.
 */
@ApplicationScoped
public class MailEventConsumer {

  private final MailStore store;
  private final DeadLetters deadLetters;
  private final TransientRetry retry;
  private final Counter applied;

  MailEventConsumer(
      MailStore store, DeadLetters deadLetters, TransientRetry retry, MeterRegistry metrics) {
    this.store = store;
    this.deadLetters = deadLetters;
    this.retry = retry;
    this.applied = metrics.counter("mailroom.sync.events.applied");
  }

  /**
   * Batches from this size up are decoded on two or more threads: decoding was two fifths of this
   * consumer's thread while a first sync was stored, and the store waits for it.
   */
  private static final int DECODE_IN_PARALLEL_FROM = 64;

  @Incoming("mail")
  @Blocking(ordered = true)
  public void consume(ConsumerRecords<String, byte[]> records) {
    List<ConsumerRecord<String, byte[]>> received = new ArrayList<>(records.count());
    records.forEach(received::add);
    Object[] decoded = decodeAll(received);
    List<Decoded> batch = new ArrayList<>(decoded.length);
    for (int i = 0; i < decoded.length; i++) {
      if (decoded[i] instanceof MalformedEventException e) {
        // Rule: a poison event goes to the dead-letter topic with the reason; the account's
        // other events go on.
        deadLetters.send(received.get(i), e.getMessage());
      } else {
        batch.add(new Decoded(received.get(i), (MailroomEvent) decoded[i]));
      }
    }
    try {
      long start = System.nanoTime();
      retry.run(
          "applying mail events",
          () -> applyInOneTransaction(batch.stream().map(Decoded::event).toList()));
      applied.increment(batch.size());
      Log.debugf(
          "applied a batch of %d event(s) in %d ms",
          batch.size(), (System.nanoTime() - start) / 1_000_000);
    } catch (TransientRetry.Interrupted stopping) {
      throw stopping;
    } catch (RuntimeException refused) {
      applyOneByOne(batch);
    }
  }

  /**
   * A batch the database refuses is applied again one event per transaction, so one event the
   * database refuses costs only itself. Each event waits out a database that is away, as the batch
   * did.
   */
  private void applyOneByOne(List<Decoded> batch) {
    for (Decoded item : batch) {
      try {
        retry.run("applying mail events", () -> applyInOneTransaction(List.of(item.event())));
        applied.increment();
      } catch (TransientRetry.Interrupted stopping) {
        throw stopping;
      } catch (RuntimeException e) {
        MDC.put("accountId", item.event().accountId().toString());
        MDC.put("eventId", item.event().eventId());
        try {
          Log.warnf(
              "event %s refused by the store: %s",
              item.event().type().ceType(), StoreFailures.reason(e));
          deadLetters.send(item.record(), "store refused the event: " + StoreFailures.reason(e));
        } finally {
          MDC.remove("accountId");
          MDC.remove("eventId");
        }
      }
    }
  }

  private void applyInOneTransaction(List<MailroomEvent> events) {
    QuarkusTransaction.requiringNew().run(() -> store.apply(events));
  }

  /**
   * @return for each record in its place, its event or the {@link MalformedEventException} that
   *     says why it cannot be read
   */
  static Object[] decodeAll(List<ConsumerRecord<String, byte[]>> records) {
    Object[] decoded = new Object[records.size()];
    IntStream indexes = IntStream.range(0, decoded.length);
    if (decoded.length >= DECODE_IN_PARALLEL_FROM) {
      indexes = indexes.parallel();
    }
    indexes.forEach(i -> decoded[i] = decode(records.get(i)));
    return decoded;
  }

  /** The record's event, or the reason it cannot be read. */
  private static Object decode(ConsumerRecord<String, byte[]> record) {
    try {
      return EventCodec.decode(header(record, CloudEventHeaders.TYPE), record.value());
    } catch (MalformedEventException e) {
      return e;
    }
  }

  public static String header(ConsumerRecord<?, ?> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private record Decoded(ConsumerRecord<String, byte[]> record, MailroomEvent event) {}
}
