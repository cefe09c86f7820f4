package dev.mailroom.events.outbox;

import dev.mailroom.events.EventIds;
import dev.mailroom.events.EventType;
import dev.mailroom.events.model.AccountId;
import java.time.Instant;
import java.util.UUID;

/**
 * A message waits in the account's outbox to be sent. It carries a reference, not the message: the
 * MIME (attachments included, up to the server's SIZE) stays in sync-service's outbox table, where
 * the connector reads it by {@code outboxId} (ADR 0006).
 *
 * @param messageId the Message-ID header of the message, angle brackets included: the sent copy in
 *     Sent and the recipients' copies carry it
 * @param sizeBytes the MIME's size in bytes
 */
public record SendRequested(
    AccountId accountId, UUID outboxId, String messageId, long sizeBytes, Instant requestedAt)
    implements OutboxEvent {

  @Override
  public String eventId() {
    return EventIds.of(EventType.SEND_REQUESTED.ceType(), accountId, outboxId);
  }
}
