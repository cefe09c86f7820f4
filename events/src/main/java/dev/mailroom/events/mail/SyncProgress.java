package dev.mailroom.events.mail;

import dev.mailroom.events.EventIds;
import dev.mailroom.events.EventType;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.MailboxPath;
import dev.mailroom.events.model.UidValidity;
import java.time.Instant;

/** How far the first sync of a mailbox has come: {@code done} of {@code total} messages. */
public record SyncProgress(
    AccountId accountId,
    MailboxPath mailbox,
    UidValidity uidValidity,
    long done,
    long total,
    Instant observedAt)
    implements MailEvent {

  @Override
  public String eventId() {
    return EventIds.of(
        EventType.SYNC_PROGRESS.ceType(), accountId, mailbox, uidValidity, done, total);
  }
}
