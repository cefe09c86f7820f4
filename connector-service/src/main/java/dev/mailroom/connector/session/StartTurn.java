package dev.mailroom.connector.session;

import io.quarkus.logging.Log;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.MDC;

/**
 * One session's turn to log in and catch up ({@code mailroom.imap.concurrent-starts} sessions hold
 * one at a time, see {@link SessionManager}), so that an instance taking over many accounts does
 * not open every connection at once. A turn is given back once: by the session when it watches or
 * fails, or by a timer after {@code limit}, so that a server that never greets, or a very large
 * first sync, cannot keep the others waiting.
 */
final class StartTurn {

  private final Semaphore starts;
  private final Duration limit;
  private final String accountId;
  private final AtomicBoolean held = new AtomicBoolean();
  private volatile Thread timer;

  StartTurn(Semaphore starts, Duration limit, String accountId) {
    this.starts = starts;
    this.limit = limit;
    this.accountId = accountId;
  }

  void take() throws InterruptedException {
    starts.acquire();
    held.set(true);
    timer =
        Thread.ofVirtual()
            .name("turn-" + accountId)
            .start(
                () -> {
                  MDC.put("accountId", accountId);
                  try {
                    Thread.sleep(limit);
                    if (held.get()) {
                      Log.infof(
                          "still starting after %s: the next session may start beside this one",
                          limit);
                      end();
                    }
                  } catch (InterruptedException ended) {
                    // the turn ended in time
                  }
                });
  }

  /** The turn is over, if it was held: the next waiting session takes it. */
  void end() {
    if (held.compareAndSet(true, false)) {
      starts.release();
      Thread t = timer;
      if (t != null && t != Thread.currentThread()) {
        t.interrupt();
      }
    }
  }
}
