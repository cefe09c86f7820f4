package dev.mailroom.events.mail;

import dev.mailroom.events.EventIds;
import dev.mailroom.events.EventType;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.MailboxPath;
import dev.mailroom.events.model.Uid;
import dev.mailroom.events.model.UidValidity;
import java.time.Instant;

/**
 * The connector could not read the message at this location (malformed MIME, an absurd size, a
 * reply the parser refuses) and went on without it. {@code reason} says what was wrong.
 */
public record MessageSkipped(
    AccountId accountId,
    MailboxPath mailbox,
    UidValidity uidValidity,
    Uid uid,
    String reason,
    Instant observedAt)
    implements MailEvent {

  @Override
  public String eventId() {
    return EventIds.of(EventType.MESSAGE_SKIPPED.ceType(), accountId, mailbox, uidValidity, uid);
  }
}
