package dev.mailroom.events.mail;

import dev.mailroom.events.EventIds;
import dev.mailroom.events.EventType;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.MailboxPath;
import dev.mailroom.events.model.Uid;
import dev.mailroom.events.model.UidValidity;
import java.time.Instant;

/**
 * The message at this location is gone from the server (expunged, or moved away: RFC 6851 MOVE
 * expunges the source). The message itself lives on while another location holds it, which is how a
 * move keeps its identity: {@code message.added} at the target, then this at the source.
 */
public record MessageExpunged(
    AccountId accountId, MailboxPath mailbox, UidValidity uidValidity, Uid uid, Instant observedAt)
    implements MailEvent {

  @Override
  public String eventId() {
    return EventIds.of(EventType.MESSAGE_EXPUNGED.ceType(), accountId, mailbox, uidValidity, uid);
  }
}
