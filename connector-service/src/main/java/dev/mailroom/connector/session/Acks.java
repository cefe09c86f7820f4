package dev.mailroom.connector.session;

import dev.mailroom.events.MailroomEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The events of one mailbox sync that the broker has not acknowledged yet, each with what the
 * mailbox's state learns once it has (a UID now known, its new flags, an expunge). The state
 * changes only on acknowledgement, on the session's own thread ({@link #settle}): an event that is
 * never acknowledged leaves the state as it was, so the next sync sends it again instead of
 * stepping over it.
 */
final class Acks {

  /** One event on its way, and what its acknowledgement teaches the state (may be null). */
  private record Pending(MailroomEvent event, CompletableFuture<Void> sent, Runnable onAck) {}

  /** An event the broker did not take, with why. */
  record Failed(MailroomEvent event, Throwable cause) {}

  private List<Pending> pending = new ArrayList<>();

  void add(MailroomEvent event, CompletableFuture<Void> sent, Runnable onAck) {
    pending.add(new Pending(event, sent, onAck));
  }

  void add(MailroomEvent event, CompletableFuture<Void> sent) {
    add(event, sent, null);
  }

  int size() {
    return pending.size();
  }

  /**
   * Waits for every pending event, applies what each acknowledged one teaches, and forgets them
   * all.
   *
   * @return the events the broker refused or that timed out, in the order they were sent
   */
  List<Failed> settle() throws InterruptedException {
    List<Pending> waiting = pending;
    pending = new ArrayList<>();
    List<Failed> failed = new ArrayList<>();
    for (Pending p : waiting) {
      try {
        p.sent().get();
        if (p.onAck() != null) {
          p.onAck().run();
        }
      } catch (ExecutionException | CompletionException e) {
        failed.add(new Failed(p.event(), e.getCause() == null ? e : e.getCause()));
      }
    }
    return failed;
  }
}
