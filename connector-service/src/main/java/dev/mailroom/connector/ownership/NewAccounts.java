package dev.mailroom.connector.ownership;

import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.events.model.AccountId;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Tells an account that was just created from one this instance takes over, so that its session
 * need not read the mail topic for a state to resume from (docs/adr/0002). That read starts an hour
 * before the account's creation (the clocks may differ), so for a new account it went through the
 * last hour of every other account's events on the partition: 20,000 records and 180 ms after
 * another account's first sync, and more on a busy partition.
 *
 * <p>An account is new when its first definition reaches this instance after it took the accounts
 * partition, beyond the partition's end at that moment: a session runs only where a definition was
 * read, and no instance held the partition in between, so no session has ever published for the
 * account. Its creation must also be recent: a definition of an old account published again (an
 * accounts topic rebuilt) is read as any other, and its session resumes from the topic. One not
 * taken for new only costs that read.
 *
 * <p>Called from the ownership consumer's thread only.
 */
final class NewAccounts {

  /** A definition created longer ago than this is never taken for a new account. */
  static final Duration RECENT = Duration.ofHours(1);

  /** Per partition held, its end offset when this instance took it. */
  private final Map<Integer, Long> liveFrom = new HashMap<>();

  /** The accounts whose records were read since their partition was taken, with the partition. */
  private final Map<AccountId, Integer> seen = new HashMap<>();

  void assigned(Map<Integer, Long> endOffsets) {
    liveFrom.putAll(endOffsets);
  }

  void revoked(Set<Integer> partitions) {
    partitions.forEach(liveFrom::remove);
    seen.values().removeIf(partitions::contains);
  }

  /** The consumer was replaced: every partition is read from its start again. */
  void reset() {
    liveFrom.clear();
    seen.clear();
  }

  /**
   * Notes a record of the accounts topic (a definition or a tombstone) as read.
   *
   * @return whether it is the first definition of a new account (see the class comment)
   */
  boolean read(AccountId id, int partition, long offset, AccountDefined definition, Instant now) {
    boolean first = seen.put(id, partition) == null;
    Long live = liveFrom.get(partition);
    return first
        && definition != null
        && live != null
        && offset >= live
        && definition.createdAt() != null
        && definition.createdAt().isAfter(now.minus(RECENT));
  }
}
