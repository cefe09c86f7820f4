package dev.mailroom.connector.session;

import dev.mailroom.connector.checkpoint.MailboxCheckpoint;
import dev.mailroom.connector.checkpoint.MailboxState;
import jakarta.mail.MessagingException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The mailbox statuses of a session's first pass, not waited for one by one. From {@link #defer}
 * until {@link #await}, a sync hands its mailbox's status to the producer and returns without
 * waiting for the broker's acknowledgement, and its mailbox's end (its last batch still being sent,
 * then the status) is left pending for the next sync to finish: the pass goes on to the next
 * mailbox meanwhile (each wait was 5-15 ms, a tenth of a first sync of 10,000 messages in eleven
 * mailboxes). A status still follows every event of its mailbox on the partition, and its
 * checkpoint is recorded only once acknowledged.
 */
final class DeferredStatuses {

  /** A mailbox status handed to the producer, and the checkpoint it records once acknowledged. */
  private record InFlight(
      MailboxState state, MailboxCheckpoint checkpoint, CompletableFuture<Void> acknowledged) {}

  private final List<InFlight> inFlight = new ArrayList<>();
  private boolean deferred;

  /** While deferred: the last mailbox's end, finished by the next sync. */
  private MailboxTail pending = MailboxTail.NONE;

  void defer() {
    deferred = true;
  }

  boolean deferred() {
    return deferred;
  }

  /**
   * @return the end of the mailbox synced before, for the next sync to finish ({@link
   *     MailboxTail#NONE} when none is pending)
   */
  MailboxTail takePending() {
    MailboxTail tail = pending;
    pending = MailboxTail.NONE;
    return tail;
  }

  /** A status handed to the producer, whose checkpoint is recorded once acknowledged. */
  void sent(MailboxState state, MailboxCheckpoint checkpoint, CompletableFuture<Void> ack) {
    inFlight.add(new InFlight(state, checkpoint, ack));
  }

  /** A mailbox's end: left pending while deferred, else finished and its status awaited now. */
  void end(MailboxTail tail) throws MessagingException, InterruptedException {
    if (deferred) {
      pending = tail;
    } else {
      tail.finish();
      await();
    }
  }

  /**
   * Waits for the statuses handed to the producer and records their checkpoints, in the order sent;
   * syncs wait for their own status again from here.
   *
   * @throws java.util.concurrent.CompletionException when the broker did not take one, as a status
   *     waited for at once throws it: that mailbox keeps its former checkpoint, so its next sync
   *     covers what the status would have recorded
   */
  void await() throws MessagingException, InterruptedException {
    deferred = false;
    try {
      takePending().finish(); // the last mailbox's last batch, and its status
      for (InFlight status : inFlight) {
        status.acknowledged().join();
        status.state().checkpoint(status.checkpoint());
      }
    } finally {
      inFlight.clear();
    }
  }

  /**
   * Forgets the statuses not yet awaited, after a failure: their mailboxes keep their former
   * checkpoints, and the next sync of each publishes its status again.
   */
  void abandon() {
    deferred = false;
    // Its events' acknowledgements are still recorded: what the broker took is not sent again.
    takePending().finishQuietly();
    inFlight.clear();
  }
}
