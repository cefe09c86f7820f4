package dev.mailroom.sync.ingest;

import dev.mailroom.events.EventCodec;
import dev.mailroom.events.EventCodec.MalformedEventException;
import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.events.cloudevents.CloudEventHeaders;
import dev.mailroom.events.model.AccountId;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Keeps the account table in step with the compacted accounts topic. A database that is away is
 * waited for ({@link TransientRetry}), one transaction per attempt.
 */
@ApplicationScoped
public class AccountConsumer {

  private final MailStore store;
  private final TransientRetry retry;

  AccountConsumer(MailStore store, TransientRetry retry) {
    this.store = store;
    this.retry = retry;
  }

  @Incoming("accounts")
  @Blocking(ordered = true)
  public void consume(ConsumerRecord<String, byte[]> record) {
    try {
      if (record.value() == null) {
        AccountId deleted = AccountId.of(record.key());
        retry.run(
            "applying account definitions",
            () -> QuarkusTransaction.requiringNew().run(() -> store.deleteAccount(deleted)));
        return;
      }
      var event =
          EventCodec.decode(
              MailEventConsumer.header(record, CloudEventHeaders.TYPE), record.value());
      if (event instanceof AccountDefined defined) {
        retry.run(
            "applying account definitions",
            () -> QuarkusTransaction.requiringNew().run(() -> store.apply(defined)));
      }
    } catch (MalformedEventException | IllegalArgumentException e) {
      // An unreadable definition cannot be fixed by retrying; skip it and say where it is.
      Log.errorf(
          "skipping unreadable account definition %s-%d@%d: %s",
          record.topic(), record.partition(), record.offset(), e.getMessage());
    }
  }
}
