package dev.mailroom.events.mail;

import dev.mailroom.events.EventIds;
import dev.mailroom.events.EventType;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.MailboxPath;
import dev.mailroom.events.model.UidValidity;
import java.time.Instant;

/**
 * The set of mailboxes changed: one was created, deleted or renamed ({@code previousPath} is set
 * only for a rename), or a mailbox was reset because its UIDVALIDITY changed (RFC 9051 §2.3.1.1):
 * every location at the old UIDVALIDITY is void, and a fresh sync of the mailbox follows.
 */
public record MailboxChanged(
    AccountId accountId,
    Change change,
    MailboxPath path,
    MailboxPath previousPath,
    UidValidity uidValidity,
    UidValidity previousUidValidity,
    Instant observedAt)
    implements MailEvent {

  /** What happened to the mailbox. */
  public enum Change {
    CREATED,
    DELETED,
    RENAMED,
    RESET
  }

  public MailboxChanged {
    if (change == Change.RENAMED && previousPath == null) {
      throw new IllegalArgumentException("a rename needs the previous path");
    }
    if (change == Change.RESET && (uidValidity == null || previousUidValidity == null)) {
      throw new IllegalArgumentException("a reset needs the old and the new UIDVALIDITY");
    }
  }

  @Override
  public String eventId() {
    return EventIds.of(
        EventType.MAILBOX_CHANGED.ceType(),
        accountId,
        change,
        path,
        previousPath,
        uidValidity,
        previousUidValidity);
  }
}
