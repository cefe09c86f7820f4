package dev.mailroom.sync.ingest;

import dev.mailroom.events.EventCodec;
import dev.mailroom.events.EventCodec.MalformedEventException;
import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.events.cloudevents.CloudEventHeaders;
import dev.mailroom.events.model.AccountId;
import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Keeps the account table in step with the compacted accounts topic. */
@ApplicationScoped
public class AccountConsumer {

  private final MailStore store;

  AccountConsumer(MailStore store) {
    this.store = store;
  }

  @Incoming("accounts")
  @Blocking(ordered = true)
  @Transactional
  public void consume(ConsumerRecord<String, byte[]> record) {
    if (record.value() == null) {
      store.deleteAccount(AccountId.of(record.key()));
      return;
    }
    try {
      var event = EventCodec.decode(MailEventConsumer.header(record, CloudEventHeaders.TYPE), record.value());
      if (event instanceof AccountDefined defined) {
        store.apply(defined);
      }
    } catch (MalformedEventException | IllegalArgumentException e) {
      // An unreadable definition cannot be fixed by retrying; skip it and say where it is.
      Log.errorf("skipping unreadable account definition %s-%d@%d: %s",
          record.topic(), record.partition(), record.offset(), e.getMessage());
    }
  }
}
