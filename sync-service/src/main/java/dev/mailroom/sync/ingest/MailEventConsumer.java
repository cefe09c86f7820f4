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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Header;
import org.jboss.logging.MDC;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads the mail topic in batches and applies each batch in one database transaction. SmallRye
 * commits the batch's offsets only after this method returns, so only after the transaction has
 * committed: a crash in between replays the batch, which the idempotent store absorbs.
 */
@ApplicationScoped
public class MailEventConsumer {

  private final MailStore store;
  private final DeadLetters deadLetters;
  private final Counter applied;

  MailEventConsumer(MailStore store, DeadLetters deadLetters, MeterRegistry metrics) {
    this.store = store;
    this.deadLetters = deadLetters;
    this.applied = metrics.counter("mailroom.sync.events.applied");
  }

  @Incoming("mail")
  @Blocking(ordered = true)
  public void consume(ConsumerRecords<String, byte[]> records) {
    List<Decoded> batch = new ArrayList<>(records.count());
    for (ConsumerRecord<String, byte[]> record : records) {
      try {
        batch.add(new Decoded(record, EventCodec.decode(header(record, CloudEventHeaders.TYPE), record.value())));
      } catch (MalformedEventException e) {
        // Rule: a poison event goes to the dead-letter topic with the reason; the account's
        // other events go on.
        deadLetters.send(record, e.getMessage());
      }
    }
    try {
      long start = System.nanoTime();
      QuarkusTransaction.requiringNew().run(() -> store.apply(batch.stream().map(Decoded::event).toList()));
      applied.increment(batch.size());
      Log.debugf("applied a batch of %d event(s) in %d ms", batch.size(), (System.nanoTime() - start) / 1_000_000);
    } catch (RuntimeException batchFailure) {
      applyOneByOne(batch, batchFailure);
    }
  }

  /**
   * A batch that fails is applied again one event per transaction, so one event the database
   * refuses costs only itself. Failures that say the database is away are re-thrown: retrying
   * later is right, dead-lettering every event would be wrong.
   */
  private void applyOneByOne(List<Decoded> batch, RuntimeException batchFailure) {
    if (StoreFailures.isTransient(batchFailure)) {
      throw batchFailure;
    }
    for (Decoded item : batch) {
      try {
        QuarkusTransaction.requiringNew().run(() -> store.apply(List.of(item.event())));
        applied.increment();
      } catch (RuntimeException e) {
        if (StoreFailures.isTransient(e)) {
          throw e;
        }
        MDC.put("accountId", item.event().accountId().toString());
        MDC.put("eventId", item.event().eventId());
        try {
          Log.warnf("event %s refused by the store: %s", item.event().type().ceType(), StoreFailures.reason(e));
          deadLetters.send(item.record(), "store refused the event: " + StoreFailures.reason(e));
        } finally {
          MDC.remove("accountId");
          MDC.remove("eventId");
        }
      }
    }
  }

  static String header(ConsumerRecord<?, ?> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private record Decoded(ConsumerRecord<String, byte[]> record, MailroomEvent event) {}
}
