package dev.mailroom.health.connection;

import dev.mailroom.events.EventCodec;
import dev.mailroom.events.cloudevents.CloudEventHeaders;
import dev.mailroom.events.connection.ConnectionEstablished;
import dev.mailroom.events.connection.ConnectionEvent;
import dev.mailroom.events.connection.ConnectionFailed;
import dev.mailroom.health.status.AccountStatusService;
import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Follows each account from its connection events: a success makes it connected and ends any
 * failure streak; a failure makes it degraded and starts a streak if none is running. Events older
 * than what is stored (a replay) change nothing. The rules themselves are in {@code
 * status.StatusRules}. A database that is away is waited for ({@link StoreRetry}), one transaction
 * per attempt.
 */
@ApplicationScoped
public class ConnectionEventConsumer {

  private final AccountStatusService statuses;
  private final StoreRetry retry;

  ConnectionEventConsumer(AccountStatusService statuses, StoreRetry retry) {
    this.statuses = statuses;
    this.retry = retry;
  }

  @Incoming("connection")
  @Blocking(ordered = true)
  public void consume(ConsumerRecord<String, byte[]> record) {
    Header header = record.headers().lastHeader(CloudEventHeaders.TYPE);
    String type = header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    try {
      if (!(EventCodec.decode(type, record.value()) instanceof ConnectionEvent event)) {
        return; // another topic's event: not on the connection topic
      }
      switch (event) {
        case ConnectionEstablished ok -> retry.run(() -> statuses.established(ok));
        case ConnectionFailed failed -> retry.run(() -> statuses.failed(failed));
      }
    } catch (EventCodec.MalformedEventException | IllegalArgumentException e) {
      Log.errorf(
          "skipping unreadable connection event %d@%d: %s",
          record.partition(), record.offset(), e.getMessage());
    }
  }
}
