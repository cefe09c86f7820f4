package dev.mailroom.connector.session;

import dev.mailroom.connector.checkpoint.MailboxCheckpoint;
import dev.mailroom.connector.checkpoint.MailboxState;
import dev.mailroom.connector.imap.BodyText;
import dev.mailroom.connector.imap.ImapCommands;
import dev.mailroom.connector.imap.MessageMapper;
import dev.mailroom.connector.publish.EventPublisher;
import dev.mailroom.events.MailroomEvent;
import dev.mailroom.events.mail.FlagsChanged;
import dev.mailroom.events.mail.MailboxChanged;
import dev.mailroom.events.mail.MailboxStatus;
import dev.mailroom.events.mail.MessageAdded;
import dev.mailroom.events.mail.MessageExpunged;
import dev.mailroom.events.mail.MessageSkipped;
import dev.mailroom.events.mail.SyncProgress;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.MailboxPath;
import dev.mailroom.events.model.ModSeq;
import dev.mailroom.events.model.Uid;
import dev.mailroom.events.model.UidValidity;
import io.quarkus.logging.Log;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.event.MailEvent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Set;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.ResyncData;
import org.eclipse.angus.mail.imap.protocol.BODYSTRUCTURE;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.iap.Response;
import java.util.Comparator;
import java.util.LinkedHashMap;

/**
 * Brings one mailbox's events up to date with the server: a reset when UIDVALIDITY changed, the
 * flag changes and expunges among known messages (by the cheapest path the server offers, see
 * {@link ServerChanges}), every message not yet announced (newest first, in batches, with
 * progress), and last a status that records the checkpoint. The status is published only after
 * the broker has acknowledged every event before it, so a checkpoint never runs ahead; and the
 * state learns of an event (a UID known, its flags, an expunge) only once the broker has
 * acknowledged it ({@link Acks}), so a publish that fails is sent again, never stepped over.
 *
 * <p>Memory follows the batch, not the mailbox: new messages are fetched by UID with {@code UID
 * FETCH} replies read here and dropped after their batch, never as Angus {@code IMAPMessage}
 * objects, which an open folder keeps until it is closed (see {@link ImapCommands#run}). What
 * stays per message is the UID in the list of new ones (8 bytes, for the sync's duration) and its
 * entry in the state's {@link dev.mailroom.connector.checkpoint.KnownLocations}.
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
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the session is stopping: its loop sees the flag
      throw new MessagingException("interrupted while waiting for Kafka", e);
    }
  }

  private MailboxState syncOnce(IMAPFolder folder, MailboxState state, ServerChanges.Path changesPath)
      throws MessagingException, InterruptedException {
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
      Acks acks = new Acks();
      ServerChanges learned = new ServerChanges(List.of(), Set.of());
      if (state.complete()) {
        MailboxCheckpoint since = state.checkpoint();
        boolean expired = state.takeRestoredIncomplete();
        if (expired) {
          adoptExpired(folder, path, uv, state, since, condstore, acks);
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
        applyChanges(path, uv, state, changes, acks);
        for (Long uid : vanishedUnknown) {
          // Expunged while no session ran, and retention removed its "added": only VANISHED
          // (EARLIER) still tells. It may name UIDs that never existed (RFC 7162 §3.2.5.2); an
          // expunge of one of those only leaves a tombstone in the store.
          send(acks, new MessageExpunged(account, path, uv, Uid.of(uid), clock.instant()), null);
        }
        settle(acks, state);
      }
      int added = emitUnannounced(folder, path, uv, state, condstore);
      // What Angus keeps from the EXAMINE is a lower bound once the mailbox stayed selected.
      long uidNext = Math.max(Math.max(folder.getUIDNext(), learned.highestUid() + 1), state.known().highest() + 1);
      long modSeq = condstore ? Math.max(0, Math.max(folder.getHighestModSeq(), learned.highestModSeq())) : 0;
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

  private void applyChanges(MailboxPath path, UidValidity uv, MailboxState state, ServerChanges changes, Acks acks) {
    Set<Long> expunged = changes.expunged();
    for (ServerChanges.FlagState change : changes.flags()) {
      List<String> before = state.known().get(change.uid());
      if (before == null || sameFlags(before, change.flags()) || expunged.contains(change.uid())) {
        continue;
      }
      send(acks, new FlagsChanged(account, path, uv, Uid.of(change.uid()),
          change.modSeq() > 0 ? ModSeq.of(change.modSeq()) : null, change.flags(), clock.instant()),
          () -> state.known().put(change.uid(), change.flags()));
    }
    for (Long uid : expunged.stream().sorted().toList()) {
      // VANISHED (EARLIER) may name UIDs this mailbox never announced (RFC 7162 §3.2.5.2 allows a
      // superset): only a location that was announced can be said to be gone.
      if (state.known().containsKey(uid)) {
        send(acks, new MessageExpunged(account, path, uv, Uid.of(uid), clock.instant()), () -> state.known().remove(uid));
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
      MailboxCheckpoint since, boolean condstore, Acks acks) throws MessagingException {
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
      adopted++;
      if (f.modSeq() <= 0 || since.highestModSeq() <= 0 || f.modSeq() > since.highestModSeq()) {
        send(acks, new FlagsChanged(account, path, uv, Uid.of(f.uid()),
            f.modSeq() > 0 ? ModSeq.of(f.modSeq()) : null, f.flags(), clock.instant()),
            () -> state.known().put(f.uid(), f.flags()));
        announced++;
      } else {
        state.known().put(f.uid(), f.flags());
      }
    }
    Log.infof("%s: %d location(s) older than the mail topic's retention read back from the server, "
        + "%d flag set(s) announced again", path, adopted, announced);
  }

  /**
   * Every message on the server that was never announced, newest first, in batches. Two batches
   * at most are in flight: the previous one's acknowledgements are awaited after the next one is
   * sent, so the fetches and the broker's writes overlap while memory stays two batches.
   */
  private int emitUnannounced(IMAPFolder folder, MailboxPath path, UidValidity uv, MailboxState state,
      boolean condstore) throws MessagingException, InterruptedException {
    long fromUid = state.complete() ? state.checkpoint().uidNext() : 1;
    boolean esearch = (Boolean) folder.doCommand(protocol -> protocol.hasCapability("ESEARCH"));
    long[] fresh = Arrays.stream(ImapCommands.uids(folder, fromUid, esearch))
        .filter(uid -> !state.known().containsKey(uid) && !state.skipped().contains(uid))
        .toArray();
    boolean firstSync = !state.complete();
    long done = 0;
    Acks previous = new Acks();
    for (int end = fresh.length; end > 0; end -= batchSize) {
      int start = Math.max(0, end - batchSize);
      Acks acks = new Acks();
      boolean suspect = false;
      for (int i = start; i < end && !suspect; i++) {
        suspect = state.suspects().contains(fresh[i]);
      }
      if (suspect) {
        for (int i = end - 1; i >= start; i--) {
          emitSuspect(folder, path, uv, state, fresh[i], condstore, acks);
        }
      } else {
        try {
          emitBatch(folder, path, uv, state, fresh, start, end, condstore, acks);
        } catch (MessagingException | RuntimeException e) {
          // Which message broke the FETCH is unknown: the next attempt takes them one by one.
          for (int i = start; i < end; i++) {
            state.suspects().add(fresh[i]);
          }
          throw e;
        }
      }
      done += end - start;
      if (firstSync) {
        // No wait here: one producer, one key, one partition, so the progress lands after the
        // messages it counts, and the batches stay pipelined.
        send(acks, new SyncProgress(account, path, uv, done, fresh.length, clock.instant()), null);
      }
      settle(previous, state);
      previous = acks;
    }
    settle(previous, state);
    return fresh.length;
  }

  /** The messages {@code uids[from, to)}, ascending, fetched in one UID FETCH and sent newest first. */
  private void emitBatch(IMAPFolder folder, MailboxPath path, UidValidity uv, MailboxState state,
      long[] uids, int from, int to, boolean condstore, Acks acks) throws MessagingException {
    List<FetchResponse> fetched = new ArrayList<>();
    String command = "UID FETCH " + ImapCommands.uidSet(uids, from, to) + " " + MessageMapper.items(condstore);
    for (Response r : ImapCommands.run(folder, command)) {
      if (r instanceof FetchResponse f && MessageMapper.uid(f) > 0) {
        fetched.add(f);
      }
    }
    if (fetched.size() < to - from) {
      // Not in the reply: expunged since the UIDs were listed, or a reply Angus's parser refused
      // (it drops such a reply and reads on). The second must not pass for the first.
      Set<Long> answered = new java.util.HashSet<>();
      fetched.forEach(f -> answered.add(MessageMapper.uid(f)));
      for (int i = to - 1; i >= from; i--) {
        if (!answered.contains(uids[i])) {
          missing(folder, path, uv, state, uids[i], to - from > 1, condstore, acks);
        }
      }
    }
    fetched.sort(Comparator.comparingLong(MessageMapper::uid).reversed());
    Map<Long, BODYSTRUCTURE> structures = new LinkedHashMap<>();
    fetched.forEach(f -> structures.put(MessageMapper.uid(f), MessageMapper.structure(f)));
    Map<Long, BodyText.Text> texts = bodyBound > 0 ? BodyText.fetch(folder, structures, bodyBound) : Map.of();
    for (FetchResponse f : fetched) {
      long uid = MessageMapper.uid(f);
      MessageAdded event;
      try {
        event = MessageMapper.toEvent(account, path, uv, f, texts.get(uid));
      } catch (MessagingException | RuntimeException e) {
        // One unreadable message must not stop the mailbox: skip it and say which, once.
        Log.warnf("%s: skipping UID %d, unreadable: %s", path, uid, e.getMessage());
        skip(acks, state, path, uv, uid, reason(e));
        continue;
      }
      sendAdded(acks, state, event);
    }
  }

  /**
   * A message the batch's reply did not carry: asked for alone, once; when it is still missing
   * and the server still has it, its reply cannot be read, and it is skipped with that reason.
   */
  private void missing(IMAPFolder folder, MailboxPath path, UidValidity uv, MailboxState state, long uid,
      boolean askAlone, boolean condstore, Acks acks) throws MessagingException {
    if (askAlone) {
      emitBatch(folder, path, uv, state, new long[] {uid}, 0, 1, condstore, acks);
      return;
    }
    if (ImapCommands.holds(folder, uid)) {
      Log.warnf("%s: skipping UID %d, the server's FETCH reply cannot be read", path, uid);
      skip(acks, state, path, uv, uid, "the server's FETCH reply for this message cannot be read");
    }
  }

  /** One message of a batch that failed before: fetched alone; if it fails alone, skipped. */
  private void emitSuspect(IMAPFolder folder, MailboxPath path, UidValidity uv, MailboxState state,
      long uid, boolean condstore, Acks acks) throws MessagingException {
    try {
      emitBatch(folder, path, uv, state, new long[] {uid}, 0, 1, condstore, acks);
      state.suspects().remove(uid);
    } catch (MessagingException | RuntimeException e) {
      Log.warnf("%s: skipping UID %d, the server's reply cannot be read: %s", path, uid, e.getMessage());
      state.suspects().remove(uid);
      skip(acks, state, path, uv, uid, reason(e));
      if (!folder.isOpen()) {
        throw e; // the connection went with it: reconnect, and the skip holds once acknowledged
      }
    }
  }

  /**
   * Sends a new message's event; one larger than the producer takes is sent without its text and
   * with shorter lists, and one still too large is skipped with the reason.
   */
  private void sendAdded(Acks acks, MailboxState state, MessageAdded event) {
    long uid = event.uid().value();
    CompletableFuture<Void> sent = publisher.publish(event);
    if (sent.isCompletedExceptionally() && EventPublisher.tooLarge(sent)) {
      MessageAdded slim = MessageMapper.slim(event);
      Log.infof("%s: UID %d is too large for one event; sent without its text (%s cut)",
          event.mailbox(), uid, String.join(", ", slim.truncated()));
      sent = publisher.publish(slim);
      if (sent.isCompletedExceptionally() && EventPublisher.tooLarge(sent)) {
        skip(acks, state, event.mailbox(), event.uidValidity(), uid, "the event is too large to publish, even without its text");
        return;
      }
      event = slim;
    }
    List<String> flags = event.flags();
    acks.add(event, sent, () -> state.known().put(uid, flags));
  }

  private void skip(Acks acks, MailboxState state, MailboxPath path, UidValidity uv, long uid, String reason) {
    send(acks, new MessageSkipped(account, path, uv, Uid.of(uid), reason, clock.instant()),
        () -> state.skipped().add(uid));
  }

  private void send(Acks acks, MailroomEvent event, Runnable onAck) {
    acks.add(event, publisher.publish(event), onAck);
  }

  /**
   * Waits for the acknowledgements of what was sent. A new message the broker refused as too
   * large (a topic whose {@code max.message.bytes} is below the producer's limit) is sent again
   * without its text, then skipped with the reason; any other refusal or timeout ends the sync:
   * the state did not learn of that event, so the next sync sends it again.
   */
  private void settle(Acks acks, MailboxState state) throws InterruptedException, MessagingException {
    List<Acks.Failed> failed = acks.settle();
    if (failed.isEmpty()) {
      return;
    }
    Acks retried = new Acks();
    Acks.Failed lost = null;
    for (Acks.Failed f : failed) {
      if (f.event() instanceof MessageAdded added && EventPublisher.tooLarge(f.cause())) {
        Log.infof("%s: the broker refused UID %d as too large (%s); sending it without its text",
            added.mailbox(), added.uid().value(), f.cause().getMessage());
        sendAdded(retried, state, MessageMapper.slim(added));
      } else if (lost == null) {
        lost = f;
      }
    }
    for (Acks.Failed f : retried.settle()) {
      if (f.event() instanceof MessageAdded added && EventPublisher.tooLarge(f.cause())) {
        Acks skipped = new Acks();
        skip(skipped, state, added.mailbox(), added.uidValidity(), added.uid().value(),
            "the broker refused the event as too large, even without its text");
        if (!skipped.settle().isEmpty() && lost == null) {
          lost = f;
        }
      } else if (lost == null) {
        lost = f;
      }
    }
    if (lost != null) {
      throw new EventsNotAcknowledgedException(failed.size(), lost);
    }
  }

  /** The broker did not acknowledge some events: the sync ends, and the next one sends them again. */
  static final class EventsNotAcknowledgedException extends MessagingException {
    EventsNotAcknowledgedException(int count, Acks.Failed first) {
      super(count + " event(s) not acknowledged by Kafka, first " + first.event().type().ceType() + ": "
          + first.cause().getMessage(), first.cause() instanceof Exception e ? e : null);
    }
  }

  private static String reason(Exception e) {
    String message = e.getClass().getSimpleName() + ": " + e.getMessage();
    return message.length() > 300 ? message.substring(0, 300) : message;
  }

  private static boolean sameFlags(List<String> a, List<String> b) {
    return a.size() == b.size() && new java.util.HashSet<>(a).equals(new java.util.HashSet<>(b));
  }

}
