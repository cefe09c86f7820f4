package dev.mailroom.connector.session;

import dev.mailroom.connector.checkpoint.MailboxState;
import io.quarkus.logging.Log;
import jakarta.mail.MessagingException;
import java.util.ArrayList;
import java.util.List;

/**
 * The end of a mailbox's new messages: its last batch may still be being sent, and its last two
 * batches' acknowledgements are still to come. {@link #finish} waits for them and records them in
 * the state, then runs the steps added with {@link #then}. A first pass over an account's mailboxes
 * finishes it only once the next mailbox's first batch has been read ({@link NewMessages#emit}'s
 * {@code before}), so that the sending thread and the server's reply overlap across mailboxes too.
 */
final class MailboxTail {

  static final MailboxTail NONE =
      new MailboxTail(null, Publishing.NONE, null, null, null, 0, List.of());

  private final MailboxEvents events;
  private final Publishing publishing;
  private final Acks older;
  private final Acks previous;
  private final MailboxState state;
  private final int messages;
  private final List<Step> steps;

  /** Set once {@link #finish} has thrown: the steps never run. */
  private boolean failed;

  MailboxTail(
      MailboxEvents events,
      Publishing publishing,
      Acks older,
      Acks previous,
      MailboxState state,
      int messages,
      List<Step> steps) {
    this.events = events;
    this.publishing = publishing;
    this.older = older;
    this.previous = previous;
    this.state = state;
    this.messages = messages;
    this.steps = steps;
  }

  /** How many new messages the mailbox had. */
  int messages() {
    return messages;
  }

  /** This tail, with {@code step} to run once the rest is done. */
  MailboxTail then(Step step) {
    List<Step> more = new ArrayList<>(steps);
    more.add(step);
    return new MailboxTail(events, publishing, older, previous, state, messages, more);
  }

  /**
   * Waits for the last batch to be sent and for every acknowledgement, then runs the steps. Once it
   * has failed, a tail never runs its steps: waiting for acknowledgements forgets them (see {@link
   * Acks#settle}), so a second try would find nothing left to fail and publish the mailbox's status
   * over events the broker never took, a checkpoint that a restart then trusts.
   *
   * @return {@link #NONE}, for the caller's variable
   * @throws MessagingException also when called again after a failure
   */
  MailboxTail finish() throws MessagingException, InterruptedException {
    if (this == NONE) {
      return NONE;
    }
    if (failed) {
      throw new MessagingException("this mailbox's events were not all acknowledged");
    }
    try {
      try {
        if (!publishing.await()) {
          events.settle(older, state); // rethrows the failure of the event the broker refused
          events.settle(previous, state);
        }
      } finally {
        publishing.awaitQuietly();
      }
      events.settle(older, state);
      events.settle(previous, state);
      for (Step step : steps) {
        step.run();
      }
    } catch (Throwable failure) {
      failed = true;
      throw failure;
    }
    return NONE;
  }

  /**
   * {@link #finish} after another failure, which is the one thrown: what fails here is only logged.
   * What was acknowledged is recorded, what was not is sent again; after a failure of its own the
   * tail only records what was acknowledged, and its steps do not run.
   */
  void finishQuietly() {
    try {
      if (failed) {
        abandon();
        recordAcknowledged(older); // what the failed finish did not get to
        recordAcknowledged(previous);
      } else {
        finish();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      abandon();
    } catch (Exception e) {
      Log.debugf("a mailbox's last events were left unconfirmed: %s", e.getMessage());
      abandon();
    }
  }

  private void recordAcknowledged(Acks acks) throws InterruptedException {
    try {
      events.settle(acks, state);
    } catch (MessagingException | RuntimeException e) {
      Log.debugf("a mailbox's events were not all acknowledged: %s", e.getMessage());
    }
  }

  /** Lets the last batch's sending end; nothing more is recorded. */
  void abandon() {
    publishing.awaitQuietly();
  }

  /** One thing to do once a mailbox's events are all acknowledged: publishing its status, say. */
  interface Step {
    void run() throws MessagingException, InterruptedException;
  }
}
