package dev.mailroom.connector.session;

import dev.mailroom.connector.checkpoint.MailboxState;
import dev.mailroom.connector.imap.MessageMapper;
import dev.mailroom.connector.publish.EventPublisher;
import dev.mailroom.events.MailroomEvent;
import dev.mailroom.events.mail.MessageAdded;
import dev.mailroom.events.mail.MessageSkipped;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.MailboxPath;
import dev.mailroom.events.model.Uid;
import dev.mailroom.events.model.UidValidity;
import io.quarkus.logging.Log;
import jakarta.mail.MessagingException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Sends one mailbox's events and teaches its state what each acknowledged event said, and only that
 * ({@link Acks}): an event the broker never took is sent again by the next sync instead of being
 * stepped over. A new message too large for an event is sent without its text, and one still too
 * large is announced as skipped, with the reason.
 */
final class MailboxEvents {

  private final AccountId account;
  private final EventPublisher publisher;
  private final Clock clock;

  MailboxEvents(AccountId account, EventPublisher publisher, Clock clock) {
    this.account = account;
    this.publisher = publisher;
    this.clock = clock;
  }

  /**
   * Sends a new message's event; one larger than the producer takes is sent without its text and
   * with shorter lists, and one still too large is skipped with the reason.
   *
   * @return false when the event failed already, at the hand-over (the broker is not taking
   *     events): the caller stops sending, and the failure ends the sync when its acks settle
   */
  boolean sendAdded(Acks acks, MailboxState state, MessageAdded event) {
    long uid = event.uid().value();
    CompletableFuture<Void> sent = publisher.publish(event);
    if (sent.isCompletedExceptionally() && EventPublisher.tooLarge(sent)) {
      MessageAdded slim = MessageMapper.slim(event);
      Log.infof(
          "%s: UID %d is too large for one event; sent without its text (%s cut)",
          event.mailbox(), uid, String.join(", ", slim.truncated()));
      sent = publisher.publish(slim);
      if (sent.isCompletedExceptionally() && EventPublisher.tooLarge(sent)) {
        skip(
            acks,
            state,
            event.mailbox(),
            event.uidValidity(),
            uid,
            "the event is too large to publish, even without its text");
        return true;
      }
      event = slim;
    }
    List<String> flags = event.flags();
    // Kept until acknowledged in its slim form, the one a refusal as too large is sent again as:
    // two batches of texts waiting for the broker would otherwise be the largest thing on the heap.
    acks.add(MessageMapper.slim(event), sent, () -> state.known().put(uid, flags));
    return !sent.isCompletedExceptionally();
  }

  void skip(
      Acks acks, MailboxState state, MailboxPath path, UidValidity uv, long uid, String reason) {
    send(
        acks,
        new MessageSkipped(account, path, uv, Uid.of(uid), reason, clock.instant()),
        () -> state.skipped().add(uid));
  }

  void send(Acks acks, MailroomEvent event, Runnable onAck) {
    acks.add(event, publisher.publish(event), onAck);
  }

  /**
   * Waits for the acknowledgements of what was sent. A new message the broker refused as too large
   * (a topic whose {@code max.message.bytes} is below the producer's limit) is sent again without
   * its text, then skipped with the reason; any other refusal or timeout ends the sync: the state
   * did not learn of that event, so the next sync sends it again.
   */
  void settle(Acks acks, MailboxState state) throws InterruptedException, MessagingException {
    List<Acks.Failed> failed = acks.settle();
    if (failed.isEmpty()) {
      return;
    }
    Acks retried = new Acks();
    Acks.Failed lost = null;
    for (Acks.Failed f : failed) {
      if (f.event() instanceof MessageAdded added && EventPublisher.tooLarge(f.cause())) {
        Log.infof(
            "%s: the broker refused UID %d as too large (%s); sending it without its text",
            added.mailbox(), added.uid().value(), f.cause().getMessage());
        sendAdded(retried, state, MessageMapper.slim(added));
      } else if (lost == null) {
        lost = f;
      }
    }
    for (Acks.Failed f : retried.settle()) {
      if (f.event() instanceof MessageAdded added && EventPublisher.tooLarge(f.cause())) {
        Acks skipped = new Acks();
        skip(
            skipped,
            state,
            added.mailbox(),
            added.uidValidity(),
            added.uid().value(),
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

  /**
   * The broker did not acknowledge some events: the sync ends, and the next one sends them again.
   */
  static final class EventsNotAcknowledgedException extends MessagingException {
    EventsNotAcknowledgedException(int count, Acks.Failed first) {
      super(
          count
              + " event(s) not acknowledged by Kafka, first "
              + first.event().type().ceType()
              + ": "
              + first.cause().getMessage(),
          first.cause() instanceof Exception e ? e : null);
    }
  }
}
