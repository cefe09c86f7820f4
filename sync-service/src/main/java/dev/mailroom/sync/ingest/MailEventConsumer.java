package dev.mailroom.sync.ingest;

import dev.mailroom.events.MailroomEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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

  /** Each record comes decoded by {@link MailRecordDeserializer}, in the consumer's poll. */
  @Incoming("mail")
  @Blocking(ordered = true)
  public void consume(ConsumerRecords<String, MailRecord> records) {
    List<Decoded> batch = new ArrayList<>(records.count());
    for (ConsumerRecord<String, MailRecord> record : records) {
      MailRecord read = record.value();
      if (read.event() == null) {
        // Rule: a poison event goes to the dead-letter topic with the reason; the account's
        // other events go on.
        deadLetters.send(record, read.raw(), read.malformed().getMessage());
      } else {
        batch.add(new Decoded(record, read.event()));
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
          deadLetters.send(
              item.record(),
              item.record().value().raw(),
              "store refused the event: " + StoreFailures.reason(e));
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

  public static String header(ConsumerRecord<?, ?> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private record Decoded(ConsumerRecord<String, MailRecord> record, MailroomEvent event) {}
}
