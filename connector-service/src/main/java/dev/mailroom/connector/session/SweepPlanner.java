package dev.mailroom.connector.session;

import dev.mailroom.connector.checkpoint.MailboxCheckpoint;
import dev.mailroom.connector.checkpoint.MailboxState;
import dev.mailroom.events.model.MailboxPath;
import io.quarkus.logging.Log;
import jakarta.mail.MessagingException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.protocol.Status;

/**
 * Decides which mailboxes a sweep syncs, where push does not reach or may have missed something:
 * one STATUS each, compared with the last checkpoint (EmailEngine's cheap check before any SELECT);
 * a mailbox not yet synced in full; a quiet one whose checkpoint is due again before the mail
 * topic's retention; and, on a server without CONDSTORE, where a flag change moves no STATUS
 * counter but UNSEEN (RFC 9051 §6.3.11), the flag print of {@link FlagProbe} every
 * flag-probe-interval and, as a safety net, a full flag scan every full-scan-interval. Every STATUS
 * and print comes first, then the syncs: a sync may leave its mailbox selected.
 */
final class SweepPlanner {

  /** The mailboxes to sync, and those whose flag print this sweep took already. */
  record Sweep(List<IMAPFolder> due, Set<MailboxPath> printed) {}

  private final SessionSettings settings;
  private final Clock clock;
  private final boolean condstore;

  /** Null where CONDSTORE tells of flag changes itself. */
  private final FlagProbe flagProbe;

  private long nextRescan;

  SweepPlanner(SessionSettings settings, Clock clock, Capabilities caps) {
    this.settings = settings;
    this.clock = clock;
    this.condstore = caps.condstore();
    this.flagProbe = condstore ? null : new FlagProbe(settings.flagProbeInterval());
    this.nextRescan = System.nanoTime() + settings.fullScanInterval().toNanos();
  }

  Sweep plan(Collection<IMAPFolder> folders, Map<MailboxPath, MailboxState> states)
      throws MessagingException {
    boolean rescan = !condstore && System.nanoTime() >= nextRescan;
    if (rescan) {
      nextRescan = System.nanoTime() + settings.fullScanInterval().toNanos();
    }
    boolean probing = flagProbe != null && flagProbe.due();
    List<IMAPFolder> due = new ArrayList<>();
    Set<MailboxPath> printed = new HashSet<>();
    for (IMAPFolder folder : folders) {
      MailboxPath path = MailboxPath.of(folder.getFullName());
      MailboxState known = states.get(path);
      boolean changed =
          rescan
              || known == null
              || !known.complete()
              || checkpointDue(known)
              || changedSince(folder, known);
      if (probing) {
        changed |= flagsChanged(folder, path, known);
        printed.add(path);
      }
      if (changed) {
        due.add(folder);
      }
    }
    return new Sweep(due, printed);
  }

  /**
   * Takes the mailbox's flag print before it is synced, where the server needs prints: a change
   * made between a sync and the next print would otherwise be in neither (FlagProbe's invariant).
   */
  void printFlags(IMAPFolder folder, Map<MailboxPath, MailboxState> states)
      throws MessagingException {
    if (flagProbe != null) {
      MailboxPath path = MailboxPath.of(folder.getFullName());
      flagsChanged(folder, path, states.get(path));
    }
  }

  /** A quiet mailbox's status is written again before the mail topic's retention removes it. */
  private boolean checkpointDue(MailboxState known) {
    return known
        .checkpoint()
        .publishedAt()
        .isBefore(clock.instant().minus(settings.checkpointRefresh()));
  }

  /**
   * Whether the mailbox's flag print moved. A NO (the mailbox went since the last LIST) is the
   * mailbox's problem, as for STATUS: no print, and the sync or the next LIST finds out more.
   */
  private boolean flagsChanged(IMAPFolder folder, MailboxPath path, MailboxState known)
      throws MessagingException {
    boolean counted = known != null && known.complete();
    try {
      return flagProbe.changed(
          folder,
          path,
          counted ? known.checkpoint().messages() : -1,
          counted ? known.checkpoint().unseen() : -1);
    } catch (MessagingException e) {
      if (!SessionFailures.mailboxOnly(e)) {
        throw e;
      }
      flagProbe.forget(path);
      Log.debugf("%s: flag probe refused: %s", path, e.getMessage());
      return false;
    }
  }

  /**
   * Whether STATUS shows a change. A NO to the STATUS (the mailbox was deleted or renamed since the
   * last LIST, or its name does not survive the client's modified UTF-7 round trip, RFC 3501
   * §5.1.3) is that mailbox's problem, not the account's: it is skipped until the next LIST.
   */
  private static boolean changedSince(IMAPFolder folder, MailboxState known)
      throws MessagingException {
    try {
      return changed(MailboxList.status(folder), known.checkpoint());
    } catch (MessagingException e) {
      if (!SessionFailures.mailboxOnly(e)) {
        throw e;
      }
      Log.debugf(
          "%s: STATUS refused, skipped until the next LIST: %s",
          folder.getFullName(), e.getMessage());
      return false;
    }
  }

  private static boolean changed(Status now, MailboxCheckpoint known) {
    return now.uidvalidity != known.uidValidity().value()
        || now.uidnext != known.uidNext()
        || now.total != known.messages()
        || now.unseen != known.unseen()
        || (now.highestmodseq > 0 && now.highestmodseq != known.highestModSeq().value());
  }
}
