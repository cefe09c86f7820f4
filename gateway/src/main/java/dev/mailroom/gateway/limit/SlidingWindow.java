package dev.mailroom.gateway.limit;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * At most {@code max} events per key in any {@code window}: a sliding log of the times of the
 * events granted. Pure apart from the clock it is given; one instance per kind of limit. A key's
 * log is at most {@code max} entries, so memory follows the number of active users.
 */
public final class SlidingWindow {

  private final int max;
  private final long windowNanos;
  private final LongSupplier nanoClock;
  private final Map<String, Deque<Long>> granted = new ConcurrentHashMap<>();

  public SlidingWindow(int max, Duration window, LongSupplier nanoClock) {
    if (max < 1) {
      throw new IllegalArgumentException("a limit allows at least one event, got " + max);
    }
    this.max = max;
    this.windowNanos = window.toNanos();
    this.nanoClock = nanoClock;
  }

  /**
   * Takes one event for {@code key} if the window has room.
   *
   * @return empty when granted; otherwise the whole seconds until the oldest event leaves the
   *     window (at least 1), for {@code Retry-After}
   */
  public OptionalLong tryAcquire(String key) {
    long now = nanoClock.getAsLong();
    Deque<Long> log = granted.computeIfAbsent(key, k -> new ArrayDeque<>());
    synchronized (log) {
      while (!log.isEmpty() && now - log.peekFirst() >= windowNanos) {
        log.pollFirst();
      }
      if (log.size() < max) {
        log.addLast(now);
        return OptionalLong.empty();
      }
      long waitNanos = windowNanos - (now - log.peekFirst());
      return OptionalLong.of(Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L));
    }
  }
}
