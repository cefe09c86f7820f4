package dev.mailroom.events.outbox;

import dev.mailroom.events.EventIds;
import dev.mailroom.events.EventType;
import dev.mailroom.events.model.AccountId;
import java.time.Instant;
import java.util.UUID;

/**
 * The account's SMTP server accepted the message (250 after DATA): it is sent, once.
 *
 * @param smtpReply the server's reply to the end of DATA, e.g. {@code 250 2.0.0 Ok: queued as
 *     4Xk...}
 * @param attempts how many attempts it took, this one included
 * @param sentCopyMailbox where the copy was appended (the Sent mailbox), or null when the provider
 *     files sent mail itself or the append failed (see {@code sentCopyProblem})
 * @param sentCopyProblem why no copy was appended although one was due, or null
 */
public record MessageSent(
    AccountId accountId,
    UUID outboxId,
    String messageId,
    String smtpReply,
    int attempts,
    String sentCopyMailbox,
    String sentCopyProblem,
    Instant sentAt)
    implements OutboxEvent {

  @Override
  public String eventId() {
    return EventIds.of(EventType.MESSAGE_SENT.ceType(), accountId, outboxId);
  }
}
