package dev.mailroom.connector.session;

import dev.mailroom.connector.push.PushWatcher;
import dev.mailroom.events.model.AccountId;
import java.util.function.Consumer;
import org.jboss.logging.MDC;

/**
 * A session's {@link PushWatcher} on a virtual thread of its own. The watcher reports what it
 * catches itself; anything that still ends its thread (an {@link Error}) is handed to {@code
 * ended}, so that the session does not go on without push and without a word.
 */
final class PushThread {

  private PushThread() {}

  static void start(PushWatcher watcher, AccountId account, Consumer<Throwable> ended) {
    Thread.ofVirtual()
        .name("push-" + account)
        .start(
            () -> {
              MDC.put("accountId", account.toString());
              try {
                watcher.run();
              } catch (Throwable e) {
                ended.accept(e);
              }
            });
  }

  /** The push connection is gone; its cause, when known, decides the failure's category. */
  static final class LostException extends Exception {
    LostException(Throwable cause) {
      super("push connection lost", cause);
    }
  }
}
