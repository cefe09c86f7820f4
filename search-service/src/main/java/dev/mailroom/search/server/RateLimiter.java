package dev.mailroom.search.server;

import dev.mailroom.events.model.AccountId;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per account for server-side searches: each search costs one token, tokens come
 * back at {@code perMinute} a minute, at most {@code burst} are saved up. A server allows an
 * account few connections and a search holds the account's session (its sync waits), so a user
 * typing fast must not turn into a search per keystroke on the server: past the limit, the local
 * index answers. One account's bucket never affects another's.
 */
public final class RateLimiter {

  private record Bucket(double tokens, long atNanos) {}

  private final double perNano;
  private final int burst;
  private final Clock clock;
  private final Map<AccountId, Bucket> buckets = new ConcurrentHashMap<>();

  public RateLimiter(int perMinute, int burst, Clock clock) {
    this.perNano = perMinute / (double) Duration.ofMinutes(1).toNanos();
    this.burst = burst;
    this.clock = clock;
  }

  /** Takes a token if there is one. */
  public boolean tryAcquire(AccountId account) {
    long now = nanos();
    boolean[] granted = {false};
    buckets.compute(
        account,
        (k, b) -> {
          double tokens =
              b == null ? burst : Math.min(burst, b.tokens() + (now - b.atNanos()) * perNano);
          if (tokens >= 1) {
            granted[0] = true;
            tokens -= 1;
          }
          return new Bucket(tokens, now);
        });
    return granted[0];
  }

  private long nanos() {
    var i = clock.instant();
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }
}
