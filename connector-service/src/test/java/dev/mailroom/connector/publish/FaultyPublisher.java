package dev.mailroom.connector.publish;

import dev.mailroom.events.MailroomEvent;
import jakarta.enterprise.inject.Vetoed;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The application's publisher, except that the {@code nth} event matching {@code which} throws what
 * {@code fault} makes (an Error or a RuntimeException), once, on the caller's thread, as a
 * publisher out of memory would. In this package for {@link EventPublisher}'s package-private
 * constructor; not a bean.
 */
@Vetoed
public final class FaultyPublisher extends EventPublisher {

  private final EventPublisher delegate;
  private final Predicate<MailroomEvent> which;
  private final int nth;
  private final Supplier<? extends Throwable> fault;
  private final AtomicInteger seen = new AtomicInteger();

  public FaultyPublisher(
      EventPublisher delegate,
      Predicate<MailroomEvent> which,
      int nth,
      Supplier<? extends Throwable> fault) {
    super(1 << 20);
    this.delegate = delegate;
    this.which = which;
    this.nth = nth;
    this.fault = fault;
  }

  @Override
  public CompletableFuture<Void> publish(MailroomEvent event) {
    if (which.test(event) && seen.incrementAndGet() == nth) {
      Throwable t = fault.get();
      if (t instanceof Error e) {
        throw e;
      }
      throw (RuntimeException) t;
    }
    return delegate.publish(event);
  }

  /** Whether the fault was thrown. */
  public boolean thrown() {
    return seen.get() >= nth;
  }
}
