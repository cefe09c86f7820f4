package dev.mailroom.connector.session;

import jakarta.mail.MessagingException;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.BooleanSupplier;
import org.jboss.logging.MDC;

/**
 * A batch's events being mapped and handed to the producer on a virtual thread of their own, with
 * the session's logging context. {@link #await} rethrows what ended it, an {@link Error} included,
 * so the session fails as it would have on its own thread.
 */
final class Publishing {

  static final Publishing NONE = new Publishing(null);

  private final FutureTask<Boolean> task;

  private Publishing(FutureTask<Boolean> task) {
    this.task = task;
  }

  /**
   * @param work true when it sent the whole batch
   */
  static Publishing start(BooleanSupplier work) {
    Map<String, Object> context = MDC.getMap();
    FutureTask<Boolean> task =
        new FutureTask<>(
            () -> {
              context.forEach(MDC::put);
              try {
                return work.getAsBoolean();
              } finally {
                MDC.clear();
              }
            });
    Thread.ofVirtual().name("batch-sender").start(task);
    return new Publishing(task);
  }

  /**
   * @return false when the batch stopped at an event the broker did not take
   */
  boolean await() throws InterruptedException, MessagingException {
    if (task == null) {
      return true;
    }
    try {
      return task.get();
    } catch (ExecutionException e) {
      switch (e.getCause()) {
        case Error error -> throw error;
        case RuntimeException unchecked -> throw unchecked;
        case Exception checked -> throw new MessagingException("sending a batch failed", checked);
        default -> throw new IllegalStateException(e.getCause());
      }
    }
  }

  /** Waits for the batch whatever happens: a sync that failed leaves no sender behind. */
  void awaitQuietly() {
    if (task == null) {
      return;
    }
    boolean interrupted = false;
    while (true) {
      try {
        task.get();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      } catch (ExecutionException e) {
        break; // already rethrown by await, or superseded by the failure being thrown
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
