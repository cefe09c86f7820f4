package dev.mailroom.health.connection;

import dev.mailroom.events.EventCodec;
import dev.mailroom.events.cloudevents.CloudEventHeaders;
import dev.mailroom.events.connection.ConnectionEstablished;
import dev.mailroom.events.connection.ConnectionFailed;
import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Follows each account from its connection events: a success makes it connected and ends any
 * failure streak; a failure makes it degraded and starts a streak if none is running. Events older
 * than what is stored (a replay) change nothing.
 */
@ApplicationScoped
public class ConnectionEventConsumer {

  @Incoming("connection")
  @Blocking(ordered = true)
  @Transactional
  public void consume(ConsumerRecord<String, byte[]> record) {
    Header type = record.headers().lastHeader(CloudEventHeaders.TYPE);
    try {
      switch (EventCodec.decode(type == null ? null : new String(type.value(), StandardCharsets.UTF_8), record.value())) {
        case ConnectionEstablished ok -> connected(ok);
        case ConnectionFailed failed -> failed(failed);
        default -> {}
      }
    } catch (EventCodec.MalformedEventException | IllegalArgumentException e) {
      Log.errorf("skipping unreadable connection event %d@%d: %s", record.partition(), record.offset(), e.getMessage());
    }
  }

  private void connected(ConnectionEstablished event) {
    AccountHealth health = current(event.accountId().value(), event.at());
    if (health == null) {
      return;
    }
    health.state = "connected";
    health.failingSince = null;
    health.lastEventAt = event.at();
    health.lastCategory = null;
    health.lastDetail = null;
    health.capabilities = event.capabilities().toArray(String[]::new);
    health.persist();
  }

  private void failed(ConnectionFailed event) {
    AccountHealth health = current(event.accountId().value(), event.at());
    if (health == null) {
      return;
    }
    if (health.failingSince == null) {
      health.failingSince = event.at();
    }
    if (!"disconnected".equals(health.state)) {
      health.state = "degraded";
    }
    health.lastEventAt = event.at();
    health.lastCategory = event.category().name();
    health.lastDetail = event.detail();
    health.persist();
  }

  /** The row to update, or null when the event is older than what the row already says. */
  private static AccountHealth current(java.util.UUID accountId, java.time.Instant at) {
    AccountHealth health = AccountHealth.findById(accountId);
    if (health == null) {
      health = new AccountHealth();
      health.accountId = accountId;
      health.capabilities = new String[0];
      return health;
    }
    return health.lastEventAt.isAfter(at) ? null : health;
  }
}
