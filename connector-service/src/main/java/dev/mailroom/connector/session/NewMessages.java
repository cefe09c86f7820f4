package dev.mailroom.connector.session;

import dev.mailroom.connector.checkpoint.MailboxState;
import dev.mailroom.connector.imap.BodyText;
import dev.mailroom.connector.imap.ImapCommands;
import dev.mailroom.connector.imap.MessageMapper;
import dev.mailroom.events.mail.MessageAdded;
import dev.mailroom.events.mail.SyncProgress;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.MailboxPath;
import dev.mailroom.events.model.UidValidity;
import io.quarkus.logging.Log;
import jakarta.mail.MessagingException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.angus.mail.iap.Response;
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
  private final int bodyBound;

  NewMessages(AccountId account, MailboxEvents events, Clock clock, int batchSize, int bodyBound) {
    this.account = account;
    this.events = events;
    this.clock = clock;
    this.batchSize = batchSize;
    this.bodyBound = bodyBound;
  }

  /**
   * Every message on the server that was never announced, newest first, in batches. Two batches at
   * most are in flight: the previous one's acknowledgements are awaited after the next one is sent,
   * so the fetches and the broker's writes overlap while memory stays two batches.
   */
  int emit(
      IMAPFolder folder, MailboxPath path, UidValidity uv, MailboxState state, boolean condstore)
      throws MessagingException, InterruptedException {
    long fromUid = state.complete() ? state.checkpoint().uidNext() : 1;
    boolean esearch = (Boolean) folder.doCommand(protocol -> protocol.hasCapability("ESEARCH"));
    long[] fresh =
        Arrays.stream(ImapCommands.uids(folder, fromUid, esearch))
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
        events.send(
            acks, new SyncProgress(account, path, uv, done, fresh.length, clock.instant()), null);
      }
      events.settle(previous, state);
      previous = acks;
    }
    events.settle(previous, state);
    return fresh.length;
  }

  /**
   * The messages {@code uids[from, to)}, ascending, fetched in one UID FETCH and sent newest first.
   */
  private void emitBatch(
      IMAPFolder folder,
      MailboxPath path,
      UidValidity uv,
      MailboxState state,
      long[] uids,
      int from,
      int to,
      boolean condstore,
      Acks acks)
      throws MessagingException {
    List<FetchResponse> fetched = new ArrayList<>();
    String command =
        "UID FETCH "
            + ImapCommands.uidSet(uids, from, to)
            + " "
            + MessageMapper.items(condstore, bodyBound);
    for (Response r : ImapCommands.run(folder, command)) {
      if (r instanceof FetchResponse f && MessageMapper.uid(f) > 0) {
        fetched.add(f);
      }
    }
    if (fetched.size() < to - from) {
      // Not in the reply: expunged since the UIDs were listed, or a reply Angus's parser refused
      // (it drops such a reply and reads on). The second must not pass for the first.
      Set<Long> answered = new HashSet<>();
      fetched.forEach(f -> answered.add(MessageMapper.uid(f)));
      for (int i = to - 1; i >= from; i--) {
        if (!answered.contains(uids[i])) {
          missing(folder, path, uv, state, uids[i], to - from > 1, condstore, acks);
        }
      }
    }
    fetched.sort(Comparator.comparingLong(MessageMapper::uid).reversed());
    Map<Long, BodyText.Text> texts =
        bodyBound > 0 ? BodyText.fetch(folder, fetched, bodyBound) : new HashMap<>();
    // Each reply and text is let go once its event is sent: a batch's replies, texts and events
    // are the largest things on the heap, and only the events' bytes need to stay, in the producer.
    for (int i = 0; i < fetched.size(); i++) {
      FetchResponse f = fetched.set(i, null);
      long uid = MessageMapper.uid(f);
      MessageAdded event;
      try {
        event = MessageMapper.toEvent(account, path, uv, f, texts.remove(uid));
      } catch (MessagingException | RuntimeException e) {
        // One unreadable message must not stop the mailbox: skip it and say which, once.
        Log.warnf("%s: skipping UID %d, unreadable: %s", path, uid, e.getMessage());
        events.skip(acks, state, path, uv, uid, reason(e));
        continue;
      }
      events.sendAdded(acks, state, event);
    }
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
      emitBatch(folder, path, uv, state, new long[] {uid}, 0, 1, condstore, acks);
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
      throws MessagingException {
    try {
      emitBatch(folder, path, uv, state, new long[] {uid}, 0, 1, condstore, acks);
      state.suspects().remove(uid);
    } catch (MessagingException | RuntimeException e) {
      Log.warnf(
          "%s: skipping UID %d, the server's reply cannot be read: %s", path, uid, e.getMessage());
      state.suspects().remove(uid);
      events.skip(acks, state, path, uv, uid, reason(e));
      if (!folder.isOpen()) {
        throw e; // the connection went with it: reconnect, and the skip holds once acknowledged
      }
    }
  }

  private static String reason(Exception e) {
    String message = e.getClass().getSimpleName() + ": " + e.getMessage();
    return message.length() > 300 ? message.substring(0, 300) : message;
  }
}
