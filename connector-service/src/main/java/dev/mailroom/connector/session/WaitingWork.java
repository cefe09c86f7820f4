package dev.mailroom.connector.session;

import dev.mailroom.events.model.AccountId;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The {@link SessionWork} submitted to a session and not yet run, in the order submitted. It
 * outlives a reconnect; when the session stops, whatever still waits fails with {@link
 * NotHeldHereException}, so its submitter can send it to the account's new owner.
 */
final class WaitingWork {

  private final LinkedBlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();

  /**
   * @return completes with the work's result once the session ran it
   */
  <T> CompletableFuture<T> add(SessionWork<T> task) {
    var pending = new Pending<>(task, new CompletableFuture<T>());
    queue.add(pending);
    return pending.future();
  }

  /**
   * @return the next work whose submitter still waits for it, or null when none is left
   */
  Pending<?> next() {
    for (Pending<?> next; (next = queue.poll()) != null; ) {
      if (!next.future().isDone()) {
        return next;
      }
      // its submitter gave up waiting
    }
    return null;
  }

  void failAll(AccountId account) {
    for (Pending<?> pending; (pending = queue.poll()) != null; ) {
      pending.future().completeExceptionally(new NotHeldHereException(account));
    }
  }

  record Pending<T>(SessionWork<T> task, CompletableFuture<T> future) {

    /**
     * @return what the work threw, after completing its future with it, or null
     */
    Throwable runIn(SessionContext context) {
      try {
        future.complete(task.run(context));
        return null;
      } catch (Throwable failure) {
        future.completeExceptionally(failure);
        return failure;
      }
    }
  }
}
