package dev.mailroom.events.mail;

import dev.mailroom.events.EventIds;
import dev.mailroom.events.EventType;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.MailboxPath;
import dev.mailroom.events.model.ModSeq;
import dev.mailroom.events.model.UidValidity;
import java.time.Instant;

/**
 * What the connector knows of a mailbox after it has emitted every message event up to {@code
 * uidNext}: its counters and its sync checkpoint. A new owner of the account resumes from the
 * latest one (UIDVALIDITY, HIGHESTMODSEQ, UIDNEXT) instead of resending the mailbox.
 *
 * @param role the RFC 6154 special use in lower case without the backslash (archive, sent, trash,
 *     junk, drafts, all, flagged), or null
 * @param highestModSeq null where the server has no CONDSTORE
 */
public record MailboxStatus(
    AccountId accountId,
    MailboxPath path,
    String delimiter,
    String role,
    UidValidity uidValidity,
    long uidNext,
    ModSeq highestModSeq,
    long messages,
    long unseen,
    Instant observedAt)
    implements MailEvent {

  @Override
  public String eventId() {
    return EventIds.of(
        EventType.MAILBOX_STATUS.ceType(),
        accountId,
        path,
        uidValidity,
        uidNext,
        highestModSeq,
        messages,
        unseen);
  }
}
