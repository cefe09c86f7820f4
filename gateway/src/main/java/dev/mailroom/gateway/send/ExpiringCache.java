package dev.mailroom.gateway.send;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Another service's answers, kept a short time per key so that a burst of requests asks once.
 * Nothing is kept for a load that answers null or throws. Bounded: past {@code maxEntries} it
 * starts over, which costs one load per key. {@link #forget} is seen at once by this instance, a
 * load under way while it was called included; other gateway instances see the change when their
 * entry expires.
 */
final class ExpiringCache<V> {

  private record Entry<V>(V value, long until) {}

  private final Map<String, Entry<V>> entries = new ConcurrentHashMap<>();
  private final AtomicLong forgets = new AtomicLong();
  private final long ttlNanos;
  private final int maxEntries;
  private final LongSupplier nanoTime;

  ExpiringCache(Duration ttl, int maxEntries, LongSupplier nanoTime) {
    this.ttlNanos = ttl.toNanos();
    this.maxEntries = maxEntries;
    this.nanoTime = nanoTime;
  }

  V get(String key, Function<String, V> load) {
    long now = nanoTime.getAsLong();
    Entry<V> entry = entries.get(key);
    if (entry != null && entry.until() - now > 0) {
      return entry.value();
    }
    long forgotten = forgets.get();
    V value = load.apply(key);
    if (value != null) {
      if (entries.size() >= maxEntries) {
        entries.clear();
      }
      entries.put(key, new Entry<>(value, now + ttlNanos));
      if (forgets.get() != forgotten) {
        // Forgotten while loading: what was loaded may be the answer from before the change.
        entries.remove(key);
      }
    }
    return value;
  }

  void forget(String key) {
    forgets.incrementAndGet();
    entries.remove(key);
  }
}
