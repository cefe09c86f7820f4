package dev.mailroom.connector.session;

import dev.mailroom.connector.push.PushWatcher;
import dev.mailroom.events.model.MailboxPath;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;

/**
 * What a session is told while it watches, on its one queue: the push watcher's news, and that
 * {@link SessionWork} waits (the work itself has a queue of its own, which outlives a reconnect).
 * Being sealed, each new kind is handled wherever signals are read or the build fails.
 */
sealed interface SessionSignal {

  /** A mailbox changed: sync it. */
  record MailboxChanged(MailboxPath path) implements SessionSignal {}

  /** Mailboxes were created, deleted or renamed: LIST again. */
  record Relist() implements SessionSignal {}

  /**
   * The push connection is gone: reconnect. {@code cause} is what ended the watcher's thread, or
   * null when the watcher caught and logged the failure itself.
   */
  record PushFailed(Throwable cause) implements SessionSignal {}

  /** Work was submitted: run what waits once the signals before it are handled. */
  record WorkWaiting() implements SessionSignal {}

  /** A signal of {@link PushWatcher}, which names mailboxes and its two events by strings. */
  static SessionSignal fromPush(String signal) {
    return switch (signal) {
      case PushWatcher.RELIST -> new Relist();
      case PushWatcher.FAILED -> new PushFailed(null);
      default -> new MailboxChanged(MailboxPath.of(signal));
    };
  }

  /**
   * Every signal waiting, {@code first} included, folded into what the session does with them: a
   * push failure outweighs the rest, a LIST comes before the mailboxes' syncs, and a mailbox heard
   * twice is synced once. Waiting work runs after them, on mailboxes already up to date.
   */
  record Heard(PushFailed pushFailed, boolean relist, Set<MailboxPath> mailboxes, boolean work) {

    static Heard drain(SessionSignal first, BlockingQueue<SessionSignal> queue) {
      List<SessionSignal> all = new java.util.ArrayList<>();
      all.add(first);
      queue.drainTo(all);
      PushFailed failed = null;
      boolean relist = false;
      Set<MailboxPath> mailboxes = new LinkedHashSet<>();
      boolean work = false;
      for (SessionSignal signal : all) {
        switch (signal) {
          case PushFailed f -> failed = failed == null || failed.cause() == null ? f : failed;
          case Relist r -> relist = true;
          case MailboxChanged m -> mailboxes.add(m.path());
          case WorkWaiting w -> work = true;
        }
      }
      return new Heard(failed, relist, mailboxes, work);
    }
  }
}
