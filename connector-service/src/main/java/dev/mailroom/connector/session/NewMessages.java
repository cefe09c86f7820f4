package dev.mailroom.connector.session;

import dev.mailroom.connector.checkpoint.MailboxState;
import dev.mailroom.connector.imap.BodyText;
import dev.mailroom.connector.imap.FetchPipeline;
import dev.mailroom.connector.imap.ImapCommands;
import dev.mailroom.connector.imap.MessageMapper;
import dev.mailroom.connector.imap.UidList;
import dev.mailroom.events.mail.MessageAdded;
import dev.mailroom.events.mail.SyncProgress;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.MailboxPath;
import dev.mailroom.events.model.UidValidity;
import io.quarkus.logging.Log;
import jakarta.mail.MessagingException;
import java.time.Clock;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;

/**
 * The messages of a selected mailbox that were never announced: listed by UID, fetched in batches
 * by {@code UID FETCH} of the items a {@code message.added} needs and the start of the text, and
 * sent newest first. The replies are read here and dropped with their batch, never kept as Angus
 * message objects (see {@link ImapCommands#run}): memory follows the batch, plus 8 bytes a new
 * message for the list of UIDs while the mailbox is synced.
 */
final class NewMessages {

  private final AccountId account;
  private final MailboxEvents events;
  private final Clock clock;
  private final int batchSize;
  private final int batchBytes;
  private final int bodyBound;

  NewMessages(
      AccountId account,
      MailboxEvents events,
      Clock clock,
      int batchSize,
      int batchBytes,
      int bodyBound) {
    this.account = account;
    this.events = events;
    this.clock = clock;
    this.batchSize = batchSize;
    this.batchBytes = batchBytes;
    this.bodyBound = bodyBound;
  }

  /**
   * Every message on the server that was never announced, newest first, in batches. While one
   * batch's texts are decoded and its events mapped, encoded and handed to the producer on a thread
   * of their own, this thread reads the next batch from the server, whose command went out with the
   * texts of the one before ({@link FetchPipeline}): the server reads on while this thread waits
   * for the sender, instead of waiting for a command. A batch's acknowledgements are awaited two
   * batches later. Memory stays within two batches of replies and texts (the one in flight waits in
   * the server and the kernel's buffers until read; three batches when a message missing from a
   * batch is asked for alone) plus three of events on their way to the broker (kept without their
   * texts until acknowledged), whatever the mailbox's size.
   *
   * @param fromFirstUid list the mailbox from its first UID even when a checkpoint says where its
   *     new messages start (one whose messages were not all announced)
   * @param before the end of the mailbox synced before (or {@link MailboxTail#NONE}): finished once
   *     this mailbox's first batch has been read, so that its last batch was sent meanwhile; the
   *     two batches in memory are then that one and this first one
   * @return this mailbox's end, still to be finished (see {@link MailboxTail})
   */
  MailboxTail emit(
      IMAPFolder folder,
      MailboxPath path,
      UidValidity uv,
      MailboxState state,
      boolean condstore,
      boolean fromFirstUid,
      MailboxTail before)
      throws MessagingException, InterruptedException {
    long fromUid = state.complete() && !fromFirstUid ? state.checkpoint().uidNext() : 1;
    boolean esearch = (Boolean) folder.doCommand(protocol -> protocol.hasCapability("ESEARCH"));
    UidList fresh = unannounced(ImapCommands.uids(folder, fromUid, esearch), state);
    boolean firstSync = !state.complete();
    long done = 0;
    Acks older = new Acks();
    Acks previous = new Acks();
    Publishing publishing = Publishing.NONE;
    MailboxTail pending = before;
    FetchPipeline pipeline = pipeline(folder, condstore);
    try {
      // A batch's size is fixed when its command is written, with the batch before's texts: the
      // batch read now sizes the one after the next. So the first two are written before any of
      // the mailbox's mail was read: they take the fewest messages a batch takes, since mail of
      // unknown size (a Sent folder of messages to thousands of recipients each) could otherwise
      // fill the heap twice over before the byte bound has a batch to go by.
      int size = fewest();
      int nextSize = fewest();
      for (int end = fresh.size(), start; end > 0; end = start) {
        start = Math.max(0, end - size);
        int afterNext = nextSize;
        Acks acks = new Acks();
        boolean suspect = anySuspect(state, fresh, start, end);
        BooleanSupplier sendBatch;
        if (suspect) {
          pending = pending.finish();
          awaitSent(publishing, older, previous, state);
          for (int i = end - 1; i >= start; i--) {
            emitSuspect(folder, path, uv, state, fresh.get(i), condstore, acks);
          }
          sendBatch = () -> true;
        } else {
          // The next batch's command goes out with this one's texts, unless it is to be taken
          // message by message.
          int nextStart = Math.max(0, start - nextSize);
          long[] next =
              start > 0 && !anySuspect(state, fresh, nextStart, start)
                  ? fresh.slice(nextStart, start)
                  : null;
          Fetched fetched;
          try {
            fetched = fetch(pipeline, fresh, start, end, next);
          } catch (MessagingException | RuntimeException | OutOfMemoryError e) {
            // Which message broke the FETCH is unknown: the next attempt takes them one by one.
            for (int i = start; i < end; i++) {
              state.suspects().add(fresh.get(i));
            }
            throw e;
          }
          afterNext = fitted(fetched, end - start);
          // The mailbox before, whose last batch was being sent while this one's first was read.
          pending = pending.finish();
          awaitSent(publishing, older, previous, state); // the previous batch's events go first
          if (fetched.missing().length > 0) {
            pipeline.settle(); // the next batch's replies, read and kept: the connection is free
          }
          for (long uid : fetched.missing()) {
            missing(folder, path, uv, state, uid, end - start > 1, condstore, acks);
          }
          sendBatch = () -> send(fetched, path, uv, state, acks);
        }
        done += end - start;
        SyncProgress progress =
            firstSync
                ? new SyncProgress(account, path, uv, done, fresh.size(), clock.instant())
                : null;
        publishing =
            Publishing.start(
                () -> {
                  if (!sendBatch.getAsBoolean()) {
                    return false;
                  }
                  if (progress != null) {
                    // No wait here: one producer, one key, one partition, so the progress lands
                    // after the messages it counts, and the batches stay pipelined.
                    events.send(acks, progress, null);
                  }
                  return true;
                });
        // The batch before the previous one: the previous one's last events have only just been
        // handed to the producer, and waiting for them would stall the next FETCH.
        events.settle(older, state);
        older = previous;
        previous = acks;
        size = nextSize;
        nextSize = afterNext;
      }
      pending.finish(); // a mailbox with nothing new
    } catch (Throwable failure) {
      pipeline.abandon(); // the connection as it was before, or closed
      publishing.awaitQuietly(); // never leave a batch being sent behind a failed sync
      pending.finishQuietly(); // the mailbox before is not this one's failure
      throw failure;
    }
    return new MailboxTail(events, publishing, older, previous, state, fresh.size(), List.of());
  }

  /**
   * Waits for the batch being sent. One that stopped at an event the broker did not take ends the
   * sync here, with that failure, rather than after two more batches read for nothing.
   */
  private void awaitSent(Publishing publishing, Acks older, Acks previous, MailboxState state)
      throws InterruptedException, MessagingException {
    if (!publishing.await()) {
      events.settle(older, state);
      events.settle(previous, state);
    }
  }

  private FetchPipeline pipeline(IMAPFolder folder, boolean condstore) {
    return new FetchPipeline(folder, MessageMapper.items(condstore, bodyBound), bodyBound);
  }

  /**
   * The messages of a batch that hold about {@link #batchBytes} of mail, at the bytes a message of
   * a batch just read: between a tenth of {@link #batchSize} and all of it.
   */
  private int fitted(Fetched fetched, int messages) {
    if (fetched.bytes() <= 0) {
      return batchSize;
    }
    long fit = (long) batchBytes * messages / fetched.bytes();
    return (int) Math.clamp(fit, fewest(), batchSize);
  }

  /** The fewest messages a batch of new messages takes: a tenth of {@link #batchSize}. */
  private int fewest() {
    return Math.max(1, batchSize / 10);
  }

  /**
   * A batch as read from the server: its replies newest first, their texts, the UIDs it lacked, and
   * the bytes of mail it holds ({@link FetchPipeline.Batch#bytes}).
   */
  private record Fetched(
      List<FetchResponse> replies, Map<Long, BodyText.Raw> texts, long[] missing, long bytes) {}

  /**
   * The messages {@code uids[from, to)}, ascending, fetched in one UID FETCH (and their texts).
   *
   * @param next the next batch's UIDs, whose command is written meanwhile, or null
   */
  private Fetched fetch(FetchPipeline pipeline, UidList uids, int from, int to, long[] next)
      throws MessagingException {
    FetchPipeline.Batch batch = pipeline.fetch(uids.slice(from, to), next);
    List<FetchResponse> fetched = batch.replies();
    long[] missing = new long[0];
    if (fetched.size() < to - from) {
      // Not in the reply: expunged since the UIDs were listed, or a reply Angus's parser refused
      // (it drops such a reply and reads on). The second must not pass for the first.
      Set<Long> answered = new HashSet<>();
      fetched.forEach(f -> answered.add(MessageMapper.uid(f)));
      LongStream.Builder newestFirst = LongStream.builder();
      for (int i = to - 1; i >= from; i--) {
        if (!answered.contains(uids.get(i))) {
          newestFirst.add(uids.get(i));
        }
      }
      missing = newestFirst.build().toArray();
    }
    fetched.sort(Comparator.comparingLong(MessageMapper::uid).reversed());
    return new Fetched(fetched, batch.texts(), missing, batch.bytes());
  }

  /**
   * Maps a fetched batch to events and hands them to the producer, newest first. Each reply and
   * text is let go once its event is sent: a batch's replies, texts and events are the largest
   * things on the heap, and only the events' bytes need to stay, in the producer. Stops at an event
   * the producer failed at once (a broker that takes nothing): the rest stay unannounced, and the
   * failure ends the sync when the batch's acks settle.
   *
   * @return false when it stopped so
   */
  private boolean send(
      Fetched batch, MailboxPath path, UidValidity uv, MailboxState state, Acks acks) {
    List<FetchResponse> fetched = batch.replies();
    for (int i = 0; i < fetched.size(); i++) {
      FetchResponse f = fetched.set(i, null);
      long uid = MessageMapper.uid(f);
      MessageAdded event;
      try {
        BodyText.Raw text = batch.texts().remove(uid);
        event = MessageMapper.toEvent(account, path, uv, f, text == null ? null : text.decode());
      } catch (MessagingException | RuntimeException e) {
        // One unreadable message must not stop the mailbox: skip it and say which, once.
        Log.warnf("%s: skipping UID %d, unreadable: %s", path, uid, e.getMessage());
        events.skip(acks, state, path, uv, uid, reason(e));
        continue;
      }
      if (!events.sendAdded(acks, state, event)) {
        return false;
      }
    }
    return true;
  }

  /** The messages {@code uids[from, to)}, fetched and sent on this thread. */
  private void emitBatch(
      IMAPFolder folder,
      MailboxPath path,
      UidValidity uv,
      MailboxState state,
      UidList uids,
      int from,
      int to,
      boolean condstore,
      Acks acks)
      throws MessagingException {
    Fetched fetched = fetch(pipeline(folder, condstore), uids, from, to, null);
    for (long uid : fetched.missing()) {
      missing(folder, path, uv, state, uid, to - from > 1, condstore, acks);
    }
    send(fetched, path, uv, state, acks);
  }

  /**
   * A message the batch's reply did not carry: asked for alone, once; when it is still missing and
   * the server still has it, its reply cannot be read, and it is skipped with that reason.
   */
  private void missing(
      IMAPFolder folder,
      MailboxPath path,
      UidValidity uv,
      MailboxState state,
      long uid,
      boolean askAlone,
      boolean condstore,
      Acks acks)
      throws MessagingException {
    if (askAlone) {
      emitBatch(folder, path, uv, state, UidList.of(uid), 0, 1, condstore, acks);
      return;
    }
    if (ImapCommands.holds(folder, uid)) {
      Log.warnf("%s: skipping UID %d, the server's FETCH reply cannot be read", path, uid);
      events.skip(
          acks, state, path, uv, uid, "the server's FETCH reply for this message cannot be read");
    }
  }

  /** One message of a batch that failed before: fetched alone; if it fails alone, skipped. */
  private void emitSuspect(
      IMAPFolder folder,
      MailboxPath path,
      UidValidity uv,
      MailboxState state,
      long uid,
      boolean condstore,
      Acks acks)
      throws MessagingException, InterruptedException {
    try {
      emitBatch(folder, path, uv, state, UidList.of(uid), 0, 1, condstore, acks);
      state.suspects().remove(uid);
    } catch (MessagingException | RuntimeException | OutOfMemoryError e) {
      // An OutOfMemoryError while its reply was read closed the connection (FetchPipeline); one
      // here came from mapping this message alone, so it is skipped like any other failure of it.
      Log.warnf(
          "%s: skipping UID %d, the server's reply cannot be read: %s", path, uid, e.getMessage());
      state.suspects().remove(uid);
      events.skip(acks, state, path, uv, uid, reason(e));
      if (!folder.isOpen()) {
        // The connection went with it. The skip is waited for before the reconnect: a skip not
        // yet acknowledged is not in the state, and the message would be fetched in a batch again
        // and break it again.
        events.settle(acks, state);
        throw e;
      }
    }
  }

  /**
   * The UIDs neither announced nor skipped: the listed ones themselves when none is (a first sync),
   * else those left.
   */
  private static UidList unannounced(UidList listed, MailboxState state) {
    if (state.known().isEmpty() && state.skipped().isEmpty()) {
      return listed;
    }
    return listed.filter(uid -> !state.known().containsKey(uid) && !state.skipped().contains(uid));
  }

  private static boolean anySuspect(MailboxState state, UidList uids, int from, int to) {
    if (state.suspects().isEmpty()) {
      return false;
    }
    for (int i = from; i < to; i++) {
      if (state.suspects().contains(uids.get(i))) {
        return true;
      }
    }
    return false;
  }

  private static String reason(Throwable e) {
    String message = e.getClass().getSimpleName() + ": " + e.getMessage();
    return message.length() > 300 ? message.substring(0, 300) : message;
  }
}
