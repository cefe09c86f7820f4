package dev.mailroom.sync.ingest;

import dev.mailroom.events.EventCodec;
import dev.mailroom.events.EventCodec.MalformedEventException;
import dev.mailroom.events.cloudevents.CloudEventHeaders;
import dev.mailroom.events.command.CommandRequested;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Records the owners' commands as pending, with the flags they ask for shown at once over the
 * server's (see {@link CommandSql}); their outcome comes on the mail topic. Read with a group of
 * its own, beside the connector that applies them.
 */
@ApplicationScoped
public class CommandConsumer {

  private final MailStore store;
  private final TransientRetry retry;

  CommandConsumer(MailStore store, TransientRetry retry) {
    this.store = store;
    this.retry = retry;
  }

  @Incoming("commands")
  @Blocking(ordered = true)
  public void consume(ConsumerRecord<String, byte[]> record) {
    try {
      var event =
          EventCodec.decode(
              MailEventConsumer.header(record, CloudEventHeaders.TYPE), record.value());
      if (event instanceof CommandRequested command) {
        retry.run(
            "recording commands",
            () -> QuarkusTransaction.requiringNew().run(() -> store.record(command)));
      }
    } catch (MalformedEventException | IllegalArgumentException e) {
      Log.errorf(
          "skipping unreadable command %s-%d@%d: %s",
          record.topic(), record.partition(), record.offset(), e.getMessage());
    }
  }
}
