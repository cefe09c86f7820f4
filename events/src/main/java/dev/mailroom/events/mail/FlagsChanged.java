package dev.mailroom.events.mail;

import dev.mailroom.events.EventIds;
import dev.mailroom.events.EventType;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.MailboxPath;
import dev.mailroom.events.model.ModSeq;
import dev.mailroom.events.model.Uid;
import dev.mailroom.events.model.UidValidity;
import java.time.Instant;
import java.util.List;

/**
 * The flags of the message at a location are now exactly {@code flags}. Carries the whole set, not
 * a difference, so applying it twice or after a later one is harmless: a consumer keeps the one
 * with the highest {@code modSeq} (RFC 7162 §3.1.4); where the server has no CONDSTORE, {@code
 * modSeq} is null and the latest event in the partition wins.
 */
public record FlagsChanged(
    AccountId accountId,
    MailboxPath mailbox,
    UidValidity uidValidity,
    Uid uid,
    ModSeq modSeq,
    List<String> flags,
    Instant observedAt)
    implements MailEvent {

  public FlagsChanged {
    flags = flags == null ? List.of() : List.copyOf(flags);
  }

  @Override
  public String eventId() {
    return EventIds.of(
        EventType.FLAGS_CHANGED.ceType(),
        accountId,
        mailbox,
        uidValidity,
        uid,
        modSeq != null ? modSeq : flags);
  }
}
