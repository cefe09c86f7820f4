package dev.mailroom.connector.session;

import dev.mailroom.connector.checkpoint.MailboxCheckpoint;
import dev.mailroom.connector.checkpoint.MailboxState;
import dev.mailroom.connector.fetch.BodyText;
import dev.mailroom.connector.imap.ExpungeSafeFolder;
import dev.mailroom.connector.imap.MessageMapper;
import dev.mailroom.connector.publish.EventPublisher;
import dev.mailroom.events.mail.FlagsChanged;
import dev.mailroom.events.mail.MailboxChanged;
import dev.mailroom.events.mail.MailboxStatus;
import dev.mailroom.events.mail.MessageExpunged;
import dev.mailroom.events.mail.MessageSkipped;
import dev.mailroom.events.mail.SyncProgress;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.MailboxPath;
import dev.mailroom.events.model.ModSeq;
import dev.mailroom.events.model.Uid;
import dev.mailroom.events.model.UidValidity;
import io.quarkus.logging.Log;
import jakarta.mail.FetchProfile;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.UIDFolder;
import jakarta.mail.event.MailEvent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPMessage;
import org.eclipse.angus.mail.imap.ResyncData;

/**
 * Brings one mailbox's events up to date with the server: a reset when UIDVALIDITY changed, the
 * flag changes and expunges among known messages (by the cheapest path the server offers, see
 * {@link ServerChanges}), every message not yet announced (newest first, in batches, with
 * progress), and last a status that records the checkpoint. The status is published only after
 * the broker has acknowledged every event before it, so a checkpoint never runs ahead.
 *
 * <p>On the QRESYNC path the mailbox stays selected after its sync, and the next sync of it asks
 * what changed without selecting it again ({@link ServerChanges#changedSince}). It is let go
 * when another mailbox is synced, or by {@link #release} before the session uses the connection
 * for anything else: while a folder is open, Angus would log in a new connection for that.
 */
final class MailboxSync {

  private final AccountId account;
  private final EventPublisher publisher;
  private final Clock clock;
  private final int batchSize;
  private final int bodyBound;
  private final KeptSelection selection = new KeptSelection();

  MailboxSync(AccountId account, EventPublisher publisher, Clock clock, int batchSize, int bodyBound) {
    this.account = account;
    this.publisher = publisher;
    this.clock = clock;
    this.batchSize = batchSize;
    this.bodyBound = bodyBound;
  }

  /**
   * @param state what was announced so far, or null for a mailbox never seen
   * @return the state after this sync (a new object after a reset)
   */
  MailboxState sync(IMAPFolder folder, MailboxState state, ServerChanges.Path changesPath)
      throws MessagingException {
    try {
      return syncOnce(folder, state, changesPath);
    } catch (SelectionLost lost) {
      // What was published stays in the state: the second pass goes on from there.
      Log.infof("%s: a message the folder had not numbered was expunged meanwhile; selecting it again",
          folder.getFullName());
      release();
      return syncOnce(folder, lost.state, changesPath);
    }
  }

  /**
   * The folder can no longer say which message a sequence number names ({@link
   * ExpungeSafeFolder#lostTrack}): nothing more may be fetched by number in this selection.
   */
  private static final class SelectionLost extends MessagingException {
    final transient MailboxState state;

    SelectionLost(MailboxState state) {
      super("message numbers lost");
      this.state = state;
    }
  }

  private static void requireTrack(IMAPFolder folder, MailboxState state) throws SelectionLost {
    if (folder instanceof ExpungeSafeFolder safe && safe.lostTrack()) {
      throw new SelectionLost(state);
    }
  }

  private MailboxState syncOnce(IMAPFolder folder, MailboxState state, ServerChanges.Path changesPath)
      throws MessagingException {
    MailboxPath path = MailboxPath.of(folder.getFullName());
    boolean condstore = changesPath != ServerChanges.Path.FULL_SCAN;
    IMAPFolder stillSelected = selection.resumable(folder, state, changesPath);
    List<MailEvent> openEvents = List.of();
    if (stillSelected != null) {
      folder = stillSelected;
    } else {
      release();
      openEvents = open(folder, state, changesPath);
    }
    boolean keepSelected = false;
    try {
      long uidValidity = folder.getUIDValidity();
      if (state != null && state.uidValidity() != uidValidity) {
        // RFC 9051 §2.3.1.1: a new UIDVALIDITY voids every UID known for the mailbox. One reset
        // event, then this same sync goes on as a first sync: the new state cannot differ again.
        publisher.publish(new MailboxChanged(account, MailboxChanged.Change.RESET, path, null,
            UidValidity.of(uidValidity), UidValidity.of(state.uidValidity()), clock.instant())).join();
        Log.infof("%s: UIDVALIDITY changed %d -> %d, mailbox reset", path, state.uidValidity(), uidValidity);
        state = null;
      }
      if (state == null) {
        state = new MailboxState(uidValidity);
      }
      UidValidity uv = UidValidity.of(uidValidity);
      List<CompletableFuture<Void>> sent = new ArrayList<>();
      ServerChanges learned = new ServerChanges(List.of(), Set.of());
      if (state.complete()) {
        MailboxCheckpoint since = state.checkpoint();
        boolean expired = state.takeRestoredIncomplete();
        if (expired) {
          adoptExpired(folder, path, uv, state, since, condstore, sent);
        }
        // A mailbox without MODSEQs (RFC 7162 §3.1.2.2 NOMODSEQ) cannot be resynchronised by
        // MODSEQ at all: it gets the full scan.
        ServerChanges.Path effective = since.highestModSeq() > 0 ? changesPath : ServerChanges.Path.FULL_SCAN;
        ServerChanges changes = switch (effective) {
          case QRESYNC -> stillSelected != null
              ? ServerChanges.changedSince(folder, since.uidNext(), since.highestModSeq())
              : ServerChanges.fromQresync(folder, openEvents, since.uidNext());
          case CONDSTORE -> ServerChanges.fromCondstore(folder, state, since.uidNext(), since.highestModSeq());
          case FULL_SCAN -> ServerChanges.fromFullScan(folder, state, since.uidNext());
        };
        learned = changes;
        MailboxState restored = state;
        List<Long> vanishedUnknown = !expired || effective != ServerChanges.Path.QRESYNC ? List.of()
            : changes.expunged().stream()
                .filter(u -> u < since.uidNext() && !restored.known().containsKey(u)).sorted().toList();
        applyChanges(path, uv, state, changes, sent);
        for (Long uid : vanishedUnknown) {
          // Expunged while no session ran, and retention removed its "added": only VANISHED
          // (EARLIER) still tells. It may name UIDs that never existed (RFC 7162 §3.2.5.2); an
          // expunge of one of those only leaves a tombstone in the store.
          sent.add(publisher.publish(new MessageExpunged(account, path, uv, Uid.of(uid), clock.instant())));
        }
      }
      int added = emitUnannounced(folder, path, uv, state, condstore, sent);
      join(sent);
      // What Angus keeps from the EXAMINE is a lower bound once the mailbox stayed selected.
      long uidNext = Math.max(Math.max(folder.getUIDNext(), learned.highestUid() + 1),
          state.known().isEmpty() ? 1 : state.known().lastKey() + 1);
      long modSeq = condstore ? Math.max(0, Math.max(folder.getHighestModSeq(), learned.highestModSeq())) : 0;
      requireTrack(folder, state); // Angus's count is off by the expunges it could not number
      long messages = folder.getMessageCount();
      long unseen = StatusFacts.unseen(folder);
      var now = clock.instant();
      publisher.publish(new MailboxStatus(account, path, String.valueOf(folder.getSeparator()),
          StatusFacts.role(folder), uv, uidNext, condstore ? ModSeq.of(modSeq) : null, messages, unseen, now)).join();
      state.checkpoint(new MailboxCheckpoint(uidValidity, uidNext, modSeq, messages, unseen, now));
      if (added > 0) {
        Log.infof("%s: %d new message(s) published", path, added);
      }
      keepSelected = changesPath == ServerChanges.Path.QRESYNC;
      return state;
    } finally {
      if (keepSelected) {
        selection.keep(folder);
      } else {
        selection.forget();
        if (folder.isOpen()) {
          folder.close(false);
        }
      }
    }
  }

  /** The folder the last sync left selected, or null; for tests. */
  IMAPFolder selected() {
    return selection.folder();
  }

  /** Lets go of the mailbox the last sync left selected, if any. */
  void release() {
    selection.release();
  }

  private static List<MailEvent> open(IMAPFolder folder, MailboxState state, ServerChanges.Path changesPath)
      throws MessagingException {
    if (changesPath == ServerChanges.Path.QRESYNC && state != null && state.complete()
        && state.checkpoint().highestModSeq() > 0) {
      // RFC 7162 §3.2.5: EXAMINE mailbox (QRESYNC (uidvalidity modseq)). A stale UIDVALIDITY makes
      // the server ignore the parameter, which the reset check below then notices.
      return folder.open(Folder.READ_ONLY,
          new ResyncData(state.uidValidity(), state.checkpoint().highestModSeq()));
    }
    if (changesPath == ServerChanges.Path.QRESYNC) {
      // A first sync needs no resynchronisation data, but the next one may resume this selection
      // with VANISHED, which wants QRESYNC enabled (RFC 7162 §3.2.3). ENABLE is a command of the
      // authenticated state: it goes to the store's connection, which the folder then opens on.
      folder.doCommand(protocol -> {
        if (!protocol.isEnabled("QRESYNC")) {
          protocol.enable("QRESYNC");
        }
        return null;
      });
    }
    if (changesPath != ServerChanges.Path.FULL_SCAN) {
      // RFC 7162 §3.1: with CONDSTORE enabled every FETCH reply carries the MODSEQ.
      return folder.open(Folder.READ_ONLY, ResyncData.CONDSTORE);
    }
    folder.open(Folder.READ_ONLY);
    return List.of();
  }

  private void applyChanges(MailboxPath path, UidValidity uv, MailboxState state, ServerChanges changes,
      List<CompletableFuture<Void>> sent) {
    for (ServerChanges.FlagState change : changes.flags()) {
      List<String> before = state.known().get(change.uid());
      if (before == null || sameFlags(before, change.flags())) {
        continue;
      }
      state.known().put(change.uid(), change.flags());
      sent.add(publisher.publish(new FlagsChanged(account, path, uv, Uid.of(change.uid()),
          change.modSeq() > 0 ? ModSeq.of(change.modSeq()) : null, change.flags(), clock.instant())));
    }
    for (Long uid : changes.expunged().stream().sorted().toList()) {
      // VANISHED (EARLIER) may name UIDs this mailbox never announced (RFC 7162 §3.2.5.2 allows a
      // superset): only a location that was announced can be said to be gone.
      if (state.known().remove(uid) != null) {
        sent.add(publisher.publish(new MessageExpunged(account, path, uv, Uid.of(uid), clock.instant())));
      }
    }
  }

  /**
   * A state rebuilt from the mail topic lacks the locations whose {@code message.added} is older
   * than the topic's retention: without them a later flag change or expunge of those messages
   * would go unannounced. One {@code UID FETCH 1:n (UID FLAGS [MODSEQ])} below the checkpoint
   * takes them back as announced. Their flags are announced again only where they may have
   * changed since the checkpoint (a MODSEQ above it, or no MODSEQ to tell).
   */
  private void adoptExpired(IMAPFolder folder, MailboxPath path, UidValidity uv, MailboxState state,
      MailboxCheckpoint since, boolean condstore, List<CompletableFuture<Void>> sent) throws MessagingException {
    if (since.uidNext() <= 1) {
      return;
    }
    String items = condstore ? "(UID FLAGS MODSEQ)" : "(UID FLAGS)";
    int adopted = 0;
    int announced = 0;
    for (ServerChanges.FlagState f : ServerChanges.fetchFlags(folder, "UID FETCH 1:" + (since.uidNext() - 1) + " " + items)) {
      if (state.known().containsKey(f.uid()) || state.skipped().contains(f.uid())) {
        continue;
      }
      state.known().put(f.uid(), f.flags());
      adopted++;
      if (f.modSeq() <= 0 || since.highestModSeq() <= 0 || f.modSeq() > since.highestModSeq()) {
        sent.add(publisher.publish(new FlagsChanged(account, path, uv, Uid.of(f.uid()),
            f.modSeq() > 0 ? ModSeq.of(f.modSeq()) : null, f.flags(), clock.instant())));
        announced++;
      }
    }
    Log.infof("%s: %d location(s) older than the mail topic's retention read back from the server, "
        + "%d flag set(s) announced again", path, adopted, announced);
  }

  /** Every message on the server that was never announced, newest first, in batches. */
  private int emitUnannounced(IMAPFolder folder, MailboxPath path, UidValidity uv, MailboxState state,
      boolean condstore, List<CompletableFuture<Void>> sent) throws MessagingException {
    long fromUid = state.complete() ? state.checkpoint().uidNext() : 1;
    Message[] found = folder.getMessagesByUID(fromUid, UIDFolder.MAXUID);
    requireTrack(folder, state);
    List<IMAPMessage> fresh = new ArrayList<>(found.length);
    for (Message m : found) {
      // "n:*" also names the last message when n is above every UID (RFC 9051 §6.4.9).
      if (m != null) {
        long uid = folder.getUID(m);
        if (uid >= fromUid && !state.known().containsKey(uid) && !state.skipped().contains(uid)) {
          fresh.add((IMAPMessage) m);
        }
      }
    }
    boolean firstSync = !state.complete();
    long done = 0;
    for (int end = fresh.size(); end > 0; end -= batchSize) {
      List<IMAPMessage> batch = fresh.subList(Math.max(0, end - batchSize), end);
      if (batch.stream().anyMatch(m -> state.suspects().contains(uidOf(folder, m)))) {
        for (IMAPMessage one : batch.reversed()) {
          emitSuspect(folder, path, uv, state, one, condstore, sent);
        }
      } else {
        try {
          emitBatch(folder, path, uv, state, batch, condstore, sent);
        } catch (SelectionLost e) {
          throw e; // not the messages' fault
        } catch (MessagingException | RuntimeException e) {
          // Which message broke the FETCH is unknown: the next attempt takes them one by one.
          batch.forEach(m -> state.suspects().add(uidOf(folder, m)));
          throw e;
        }
      }
      done += batch.size();
      if (firstSync) {
        // No wait here: one producer, one key, one partition, so the progress lands after the
        // messages it counts, and the batches stay pipelined.
        sent.add(publisher.publish(new SyncProgress(account, path, uv, done, fresh.size(), clock.instant())));
      }
    }
    return fresh.size();
  }

  private void emitBatch(IMAPFolder folder, MailboxPath path, UidValidity uv, MailboxState state,
      List<IMAPMessage> batch, boolean condstore, List<CompletableFuture<Void>> sent) throws MessagingException {
    requireTrack(folder, state);
    folder.fetch(batch.toArray(Message[]::new), MessageMapper.fetchProfile());
    Map<Long, Long> modSeqs = condstore ? modSeqs(folder, batch) : Map.of();
    Map<Long, BodyText.Text> texts = bodyBound > 0 ? BodyText.fetch(folder, batch, bodyBound) : Map.of();
    for (IMAPMessage message : batch.reversed()) {
      long uid = folder.getUID(message);
      try {
        Long modSeq = modSeqs.get(uid);
        var event = MessageMapper.toEvent(account, path, uv, uid, message,
            modSeq == null || modSeq <= 0 ? null : ModSeq.of(modSeq), texts.get(uid));
        sent.add(publisher.publish(event));
        state.known().put(uid, event.flags());
      } catch (MessagingException | RuntimeException e) {
        // One unreadable message must not stop the mailbox: skip it and say which, once.
        Log.warnf("%s: skipping UID %d, unreadable: %s", path, uid, e.getMessage());
        sent.add(publisher.publish(new MessageSkipped(account, path, uv, Uid.of(uid),
            reason(e), clock.instant())));
      }
    }
  }

  /** One message of a batch that failed before: fetched alone; if it fails alone, skipped. */
  private void emitSuspect(IMAPFolder folder, MailboxPath path, UidValidity uv, MailboxState state,
      IMAPMessage message, boolean condstore, List<CompletableFuture<Void>> sent) throws MessagingException {
    long uid = uidOf(folder, message);
    try {
      emitBatch(folder, path, uv, state, List.of(message), condstore, sent);
      state.suspects().remove(uid);
    } catch (SelectionLost e) {
      throw e; // not the message's fault
    } catch (MessagingException | RuntimeException e) {
      Log.warnf("%s: skipping UID %d, the server's reply cannot be read: %s", path, uid, e.getMessage());
      state.suspects().remove(uid);
      state.skipped().add(uid);
      sent.add(publisher.publish(new MessageSkipped(account, path, uv, Uid.of(uid), reason(e), clock.instant())));
      if (!folder.isOpen()) {
        throw e; // the connection went with it: reconnect, and the skip holds
      }
    }
  }

  private static long uidOf(IMAPFolder folder, Message m) {
    try {
      return folder.getUID(m);
    } catch (MessagingException e) {
      return -1;
    }
  }

  /**
   * The batch's MODSEQs in one {@code UID FETCH lo:hi (MODSEQ)} (RFC 7162 §3.1.5): Angus's fetch
   * profile cannot ask for them and would otherwise fetch one per message.
   */
  private static Map<Long, Long> modSeqs(IMAPFolder folder, List<IMAPMessage> batch) throws MessagingException {
    long lo = Long.MAX_VALUE;
    long hi = 0;
    for (IMAPMessage m : batch) {
      long uid = folder.getUID(m);
      lo = Math.min(lo, uid);
      hi = Math.max(hi, uid);
    }
    Map<Long, Long> out = new HashMap<>();
    if (hi > 0) {
      for (ServerChanges.FlagState f : ServerChanges.fetchFlags(folder, "UID FETCH " + lo + ":" + hi + " (UID FLAGS MODSEQ)")) {
        out.put(f.uid(), f.modSeq());
      }
    }
    return out;
  }

  private static String reason(Exception e) {
    String message = e.getClass().getSimpleName() + ": " + e.getMessage();
    return message.length() > 300 ? message.substring(0, 300) : message;
  }

  private static boolean sameFlags(List<String> a, List<String> b) {
    return a.size() == b.size() && new java.util.HashSet<>(a).equals(new java.util.HashSet<>(b));
  }

  private static void join(List<CompletableFuture<Void>> sent) {
    CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
  }
}
