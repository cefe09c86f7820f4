package dev.mailroom.events.command;

import dev.mailroom.events.model.MailboxPath;
import dev.mailroom.events.model.ModSeq;
import dev.mailroom.events.model.Uid;
import dev.mailroom.events.model.UidValidity;
import java.util.List;

/**
 * A message as the owner saw it: its location, and its flags and MODSEQ there. The flags seen are
 * the base of the three-way merge that settles a race with another client (see the connector's flag
 * command); {@code modSeq} is null where the server has no CONDSTORE.
 */
public record CommandTarget(
    MailboxPath mailbox, UidValidity uidValidity, Uid uid, ModSeq modSeq, List<String> seenFlags) {

  public CommandTarget {
    seenFlags = seenFlags == null ? List.of() : List.copyOf(seenFlags);
  }
}
