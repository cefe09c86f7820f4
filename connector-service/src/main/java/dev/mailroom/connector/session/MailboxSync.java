package dev.mailroom.connector.session;

import dev.mailroom.connector.checkpoint.MailboxCheckpoint;
import dev.mailroom.connector.checkpoint.MailboxState;
import dev.mailroom.connector.imap.ImapCommands;
import dev.mailroom.connector.publish.EventPublisher;
import dev.mailroom.events.mail.FlagsChanged;
import dev.mailroom.events.mail.MailboxChanged;
import dev.mailroom.events.mail.MailboxStatus;
import dev.mailroom.events.mail.MessageExpunged;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.MailboxPath;
import dev.mailroom.events.model.ModSeq;
import dev.mailroom.events.model.Uid;
import dev.mailroom.events.model.UidValidity;
import io.quarkus.logging.Log;
import jakarta.mail.MessagingException;
import jakarta.mail.event.MailEvent;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.eclipse.angus.mail.imap.IMAPFolder;

/**
 * Brings one mailbox's events up to date with the server: a reset when UIDVALIDITY changed, the
 * flag changes and expunges among known messages (by the cheapest path the server offers, see
 * {@link ServerChanges}), every message not yet announced (newest first, in batches, with
 * progress), and last a status that records the checkpoint. The status is published only after the
 * broker has acknowledged every event before it, so a checkpoint never runs ahead; and the state
 * learns of an event (a UID known, its flags, an expunge) only once the broker has acknowledged it
 * ({@link Acks}), so a publish that fails is sent again, never stepped over.
 *
 * <p>Memory follows the batch, not the mailbox: {@link NewMessages} fetches new messages by UID and
 * reads the {@code UID FETCH} replies itself, dropping them with their batch, never as Angus {@code
 * IMAPMessage} objects, which an open folder keeps until it is closed (see {@link
 * ImapCommands#run}). What stays per message is the UID in the list of new ones (8 bytes, for the
 * sync's duration) and its entry in the state's {@link
 * dev.mailroom.connector.checkpoint.KnownLocations}.
 *
 * <p>On the QRESYNC path the mailbox stays selected after its sync, and the next sync of it asks
 * what changed without selecting it again ({@link ServerChanges#changedSince}). It is let go when
 * another mailbox is synced, or by {@link #release} before the session uses the connection for
 * anything else: while a folder is open, Angus would log in a new connection for that.
 */
final class MailboxSync {

  private final AccountId account;
  private final EventPublisher publisher;
  private final Clock clock;
  private final MailboxEvents events;
  private final NewMessages newMessages;
  private final KeptSelection selection = new KeptSelection();
  private final DeferredStatuses statuses = new DeferredStatuses();

  /** A session's: batches and texts as the configuration says. */
  static MailboxSync of(
      AccountId account, EventPublisher publisher, Clock clock, SessionSettings settings) {
    return new MailboxSync(
        account,
        publisher,
        clock,
        settings.fetchBatch(),
        settings.fetchBatchBytes(),
        settings.bodyBytes());
  }

  /**
   * @param batchSize the most messages in one UID FETCH of new messages
   * @param batchBytes the bytes of mail a batch should hold at most (see {@link NewMessages})
   * @param bodyBound the bytes of a message's text read
   */
  MailboxSync(
      AccountId account,
      EventPublisher publisher,
      Clock clock,
      int batchSize,
      int batchBytes,
      int bodyBound) {
    this.account = account;
    this.publisher = publisher;
    this.clock = clock;
    this.events = new MailboxEvents(account, publisher, clock);
    this.newMessages = new NewMessages(account, events, clock, batchSize, batchBytes, bodyBound);
  }

  /**
   * @param state what was announced so far, or null for a mailbox never seen
   * @return the state after this sync (a new object after a reset)
   */
  MailboxState sync(IMAPFolder folder, MailboxState state, ServerChanges.Path changesPath)
      throws MessagingException {
    return sync(folder, state, changesPath, fresh -> {});
  }

  /**
   * @param adopt given the new state as soon as this sync starts one (a mailbox never seen, or
   *     reset), so that a sync that fails keeps what it acknowledged and which messages broke it:
   *     the next sync after a reconnect resumes there instead of starting over
   */
  MailboxState sync(
      IMAPFolder folder,
      MailboxState state,
      ServerChanges.Path changesPath,
      Consumer<MailboxState> adopt)
      throws MessagingException {
    try {
      return syncOnce(folder, state, changesPath, adopt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the session is stopping: its loop sees the flag
      throw new MessagingException("interrupted while waiting for Kafka", e);
    }
  }

  private MailboxState syncOnce(
      IMAPFolder folder,
      MailboxState state,
      ServerChanges.Path changesPath,
      Consumer<MailboxState> adopt)
      throws MessagingException, InterruptedException {
    MailboxPath path = MailboxPath.of(folder.getFullName());
    boolean condstore = changesPath != ServerChanges.Path.FULL_SCAN;
    IMAPFolder stillSelected = selection.resumable(folder, state, changesPath);
    List<MailEvent> openEvents = List.of();
    if (stillSelected != null) {
      folder = stillSelected;
    } else {
      release();
      openEvents = MailboxOpening.open(folder, state, changesPath);
    }
    boolean keepSelected = false;
    boolean succeeded = false;
    // The mailbox before may still be sending its last batch (left pending if this one could not
    // be opened). A first sync of this one takes that over into its own first batch; anything
    // else waits for it here, before its own events.
    MailboxTail before = statuses.takePending();
    try {
      if (!statuses.deferred() || (state != null && state.complete())) {
        before = before.finish();
      }
      UidValidity uv = UidValidity.of(folder.getUIDValidity());
      if (state != null && !state.uidValidity().equals(uv)) {
        // RFC 9051 §2.3.1.1: a new UIDVALIDITY voids every UID known for the mailbox. One reset
        // event, then this same sync goes on as a first sync: the new state cannot differ again.
        publisher
            .publish(
                new MailboxChanged(
                    account,
                    MailboxChanged.Change.RESET,
                    path,
                    null,
                    uv,
                    state.uidValidity(),
                    clock.instant()))
            .join();
        Log.infof("%s: UIDVALIDITY changed %s -> %s, mailbox reset", path, state.uidValidity(), uv);
        state = null;
      }
      if (state == null) {
        state = new MailboxState(uv);
        adopt.accept(state);
      }
      Acks acks = new Acks();
      ServerChanges learned = new ServerChanges(List.of(), Set.of());
      boolean fromFirstUid = false;
      if (state.complete()) {
        MailboxCheckpoint since = state.checkpoint();
        MailboxState.Gap gap = state.takeRestoredGap();
        boolean expired = gap == MailboxState.Gap.EXPIRED;
        if (gap == MailboxState.Gap.UNANNOUNCED) {
          Log.infof(
              "%s: the mail topic announced %d of the %d messages of its last status; the messages"
                  + " never announced are sent now",
              path, state.known().size() + state.skipped().size(), since.messages());
          fromFirstUid = true;
        }
        if (expired) {
          adoptExpired(folder, path, uv, state, since, condstore, acks);
        }
        // A mailbox without MODSEQs (RFC 7162 §3.1.2.2 NOMODSEQ) cannot be resynchronised by
        // MODSEQ at all: it gets the full scan.
        ServerChanges.Path effective =
            since.hasModSeq() ? changesPath : ServerChanges.Path.FULL_SCAN;
        ServerChanges changes =
            switch (effective) {
              case QRESYNC ->
                  stillSelected != null
                      ? ServerChanges.changedSince(folder, since.uidNext(), since.highestModSeq())
                      : ServerChanges.fromQresync(folder, openEvents, since.uidNext());
              case CONDSTORE ->
                  ServerChanges.fromCondstore(
                      folder, state, since.uidNext(), since.highestModSeq());
              case FULL_SCAN -> ServerChanges.fromFullScan(folder, state, since.uidNext());
            };
        learned = changes;
        MailboxState restored = state;
        List<Uid> vanishedUnknown =
            !expired || effective != ServerChanges.Path.QRESYNC
                ? List.of()
                : changes.expunged().stream()
                    .filter(
                        u ->
                            u.value() < since.uidNext() && !restored.known().containsKey(u.value()))
                    .sorted()
                    .toList();
        applyChanges(path, uv, state, changes, acks);
        for (Uid uid : vanishedUnknown) {
          // Expunged while no session ran, and retention removed its "added": only VANISHED
          // (EARLIER) still tells. It may name UIDs that never existed (RFC 7162 §3.2.5.2); an
          // expunge of one of those only leaves a tombstone in the store.
          events.send(acks, new MessageExpunged(account, path, uv, uid, clock.instant()), null);
        }
        events.settle(acks, state);
      }
      MailboxTail tail;
      try {
        tail = newMessages.emit(folder, path, uv, state, condstore, fromFirstUid, before);
      } finally {
        before = MailboxTail.NONE; // finished or abandoned by emit
      }
      // What Angus keeps from the EXAMINE is a lower bound once the mailbox stayed selected. Read
      // now: the folder is closed or let go before the status is published.
      long serverUidNext = Math.max(folder.getUIDNext(), learned.highestUid() + 1);
      ModSeq modSeq =
          condstore
              ? ModSeq.of(
                  Math.max(0, Math.max(folder.getHighestModSeq(), learned.highestModSeq().value())))
              : ModSeq.NONE;
      long messages = folder.getMessageCount();
      long unseen = StatusFacts.unseen(folder);
      String delimiter = String.valueOf(folder.getSeparator());
      String role = StatusFacts.role(folder);
      MailboxState synced = state;
      tail =
          tail.then(
              () -> {
                // After every event of the mailbox was acknowledged (RFC 9051 §2.3.1.1: UIDs only
                // grow, so what was announced bounds UIDNEXT from below).
                long uidNext = Math.max(serverUidNext, synced.known().highest() + 1);
                var now = clock.instant();
                statuses.sent(
                    synced,
                    new MailboxCheckpoint(uv, uidNext, modSeq, messages, unseen, now),
                    publisher.publish(
                        new MailboxStatus(
                            account,
                            path,
                            delimiter,
                            role,
                            uv,
                            uidNext,
                            condstore ? modSeq : null,
                            messages,
                            unseen,
                            now)));
              });
      statuses.end(tail);
      if (tail.messages() > 0) {
        Log.infof("%s: %d new message(s) published", path, tail.messages());
      }
      keepSelected = changesPath == ServerChanges.Path.QRESYNC;
      succeeded = true;
      return state;
    } finally {
      // Only when this sync failed before emit took it over: the mailbox before still gets its
      // status (one the server refuses to open, say, does not end the pass).
      before.finishQuietly();
      if (keepSelected) {
        selection.keep(folder);
      } else {
        selection.forget();
        if (folder.isOpen()) {
          try {
            folder.close(false);
          } catch (MessagingException | RuntimeException e) {
            if (succeeded) {
              throw e;
            }
            // The sync's own failure says what happened: a connection it dropped fails CLOSE too.
          }
        }
      }
    }
  }

  /** A first pass starts: see {@link DeferredStatuses}. */
  void deferStatuses() {
    statuses.defer();
  }

  /** The first pass ended: see {@link DeferredStatuses#await}. */
  void awaitStatuses() throws MessagingException, InterruptedException {
    statuses.await();
  }

  /** A first pass cut short by a failure: see {@link DeferredStatuses#abandon}. */
  void abandonStatuses() {
    statuses.abandon();
  }

  /** The folder the last sync left selected, or null; for tests. */
  IMAPFolder selected() {
    return selection.folder();
  }

  /** Lets go of the mailbox the last sync left selected, if any. */
  void release() {
    selection.release();
  }

  private void applyChanges(
      MailboxPath path, UidValidity uv, MailboxState state, ServerChanges changes, Acks acks) {
    Set<Uid> expunged = changes.expunged();
    for (ServerChanges.FlagState change : changes.flags()) {
      List<String> before = state.known().get(change.uid().value());
      if (before == null || sameFlags(before, change.flags()) || expunged.contains(change.uid())) {
        continue;
      }
      events.send(
          acks,
          new FlagsChanged(
              account, path, uv, change.uid(), change.modSeq(), change.flags(), clock.instant()),
          () -> state.known().put(change.uid().value(), change.flags()));
    }
    for (Uid uid : expunged.stream().sorted().toList()) {
      // VANISHED (EARLIER) may name UIDs this mailbox never announced (RFC 7162 §3.2.5.2 allows a
      // superset): only a location that was announced can be said to be gone.
      if (state.known().containsKey(uid.value())) {
        events.send(
            acks,
            new MessageExpunged(account, path, uv, uid, clock.instant()),
            () -> state.known().remove(uid.value()));
      }
    }
  }

  /**
   * A state rebuilt from the mail topic lacks the locations whose {@code message.added} is older
   * than the topic's retention: without them a later flag change or expunge of those messages would
   * go unannounced. One {@code UID FETCH 1:n (UID FLAGS [MODSEQ])} below the checkpoint takes them
   * back as announced. Their flags are announced again only where they may have changed since the
   * checkpoint (a MODSEQ above it, or no MODSEQ to tell).
   */
  private void adoptExpired(
      IMAPFolder folder,
      MailboxPath path,
      UidValidity uv,
      MailboxState state,
      MailboxCheckpoint since,
      boolean condstore,
      Acks acks)
      throws MessagingException {
    if (since.uidNext() <= 1) {
      return;
    }
    String items = condstore ? "(UID FLAGS MODSEQ)" : "(UID FLAGS)";
    int adopted = 0;
    int announced = 0;
    for (ServerChanges.FlagState f :
        ServerChanges.fetchFlags(folder, "UID FETCH 1:" + (since.uidNext() - 1) + " " + items)) {
      long uid = f.uid().value();
      if (state.known().containsKey(uid) || state.skipped().contains(uid)) {
        continue;
      }
      adopted++;
      if (f.modSeq() == null
          || !since.hasModSeq()
          || f.modSeq().isNewerThan(since.highestModSeq())) {
        events.send(
            acks,
            new FlagsChanged(account, path, uv, f.uid(), f.modSeq(), f.flags(), clock.instant()),
            () -> state.known().put(uid, f.flags()));
        announced++;
      } else {
        state.known().put(uid, f.flags());
      }
    }
    Log.infof(
        "%s: %d location(s) older than the mail topic's retention read back from the server, "
            + "%d flag set(s) announced again",
        path, adopted, announced);
  }

  private static boolean sameFlags(List<String> a, List<String> b) {
    return a.size() == b.size() && new java.util.HashSet<>(a).equals(new java.util.HashSet<>(b));
  }
}
