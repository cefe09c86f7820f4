package dev.mailroom.sync.outbox;

import dev.mailroom.events.EventCodec;
import dev.mailroom.events.EventCodec.MalformedEventException;
import dev.mailroom.events.cloudevents.CloudEventHeaders;
import dev.mailroom.events.outbox.MessageSendFailed;
import dev.mailroom.events.outbox.MessageSent;
import dev.mailroom.events.outbox.OutboxEvent;
import dev.mailroom.events.outbox.SendRequested;
import dev.mailroom.sync.change.ChangeLocks;
import dev.mailroom.sync.ingest.MailEventConsumer;
import dev.mailroom.sync.ingest.TransientRetry;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Moves outbox rows forward from the connector's outcome events. Replays change nothing: sent and
 * permanently failed are final, and a temporary failure only counts when it is a later attempt than
 * the one already recorded.
 */
@ApplicationScoped
public class OutcomeConsumer {

  private final TransientRetry retry;

  OutcomeConsumer(TransientRetry retry) {
    this.retry = retry;
  }

  @Incoming("outbox-in")
  @Blocking(ordered = true)
  public void consume(ConsumerRecord<String, byte[]> record) {
    String type = MailEventConsumer.header(record, CloudEventHeaders.TYPE);
    try {
      if (!(EventCodec.decode(type, record.value()) instanceof OutboxEvent event)) {
        return; // another topic's event: not on the outbox topic
      }
      switch (event) {
        case MessageSent sent ->
            retry.run(
                "recording a sent message",
                () -> QuarkusTransaction.requiringNew().run(() -> apply(sent)));
        case MessageSendFailed failed ->
            retry.run(
                "recording a failed send",
                () -> QuarkusTransaction.requiringNew().run(() -> apply(failed)));
        case SendRequested _ -> {} // our own send requests travel on the same topic
      }
    } catch (MalformedEventException | IllegalArgumentException e) {
      Log.errorf(
          "skipping unreadable outbox event %s-%d@%d: %s",
          record.topic(), record.partition(), record.offset(), e.getMessage());
    }
  }

  static void apply(MessageSent sent) {
    OutboxMessage m = OutboxMessage.findById(sent.outboxId());
    if (m == null || m.isFinal()) {
      return;
    }
    lockChanges(m);
    m.state = OutboxMessage.SENT;
    m.attempts = Math.max(m.attempts, sent.attempts());
    m.smtpReply = sent.smtpReply();
    m.sentCopyMailbox = sent.sentCopyMailbox();
    m.sentCopyProblem = sent.sentCopyProblem();
    m.sentAt = sent.sentAt();
    m.nextAttemptAt = null;
    m.updatedAt = Instant.now();
  }

  static void apply(MessageSendFailed failed) {
    OutboxMessage m = OutboxMessage.findById(failed.outboxId());
    if (m == null || m.isFinal() || (!failed.permanent() && failed.attempt() <= m.attempts)) {
      return;
    }
    lockChanges(m);
    m.state = failed.permanent() ? OutboxMessage.FAILED : OutboxMessage.RETRYING;
    m.attempts = Math.max(m.attempts, failed.attempt());
    m.lastCode = failed.smtpCode();
    m.lastReason = failed.reason();
    m.nextAttemptAt = failed.permanent() ? null : failed.nextAttemptAt();
    m.updatedAt = Instant.now();
  }

  /**
   * Before the row is written (at flush): an account deletion holding the account's lock deletes
   * this row, and would wait for it while we waited for the lock ({@link ChangeLocks}).
   */
  private static void lockChanges(OutboxMessage m) {
    ChangeLocks.lock(OutboxMessage.getEntityManager(), m.accountId);
  }
}
