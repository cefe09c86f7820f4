package dev.mailroom.events.outbox;

import dev.mailroom.events.EventIds;
import dev.mailroom.events.EventType;
import dev.mailroom.events.model.AccountId;
import java.time.Instant;
import java.util.UUID;

/**
 * An attempt to send failed. Permanent (a 5xx reply, a message the server will never take, no Sent
 * mailbox): the message stays unsent and this is its last event. Temporary (a 4xx reply, a lost or
 * refused connection): it is tried again at {@code nextAttemptAt}.
 *
 * @param smtpCode the server's reply code, or 0 when there was no reply (connection failed)
 * @param reason the server's own words, or what failed when it did not answer
 * @param nextAttemptAt when the next attempt is due; null when permanent
 */
public record MessageSendFailed(
    AccountId accountId,
    UUID outboxId,
    String messageId,
    boolean permanent,
    int smtpCode,
    String reason,
    int attempt,
    Instant nextAttemptAt,
    Instant failedAt)
    implements OutboxEvent {

  @Override
  public String eventId() {
    return EventIds.of(EventType.MESSAGE_SEND_FAILED.ceType(), accountId, outboxId, attempt);
  }
}
