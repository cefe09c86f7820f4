package dev.mailroom.connector.checkpoint;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The UIDs a mailbox has announced, each with the flags last announced for it: what lets a server
 * without QRESYNC tell an expunge (a UID that is gone) from a flag change (flags that differ).
 *
 * <p>This is the one part of a session's memory that grows with the mailbox, so it is kept small:
 * 11 to 21 bytes a message as the table fills (a 300,000-message mailbox takes 4 MB) where a {@code
 * TreeMap<Long, List<String>>} took about 140. A UID is an unsigned 32-bit number (RFC 9051
 * §2.3.1.1) and is stored as an {@code int}; flags are stored as an index into the flag sets this
 * mailbox has seen, which are few (most messages share {@code \Seen} or nothing). The table uses
 * open addressing with linear probing and backward-shift deletion, so no tombstones pile up when
 * messages are expunged. Owned by one session thread: not thread-safe.
 */
public final class KnownLocations {

  private static final int EMPTY = 0; // UID 0 does not exist (RFC 9051 §2.3.1.1)

  private int[] uids = new int[16];
  private int[] flagSets = new int[16];
  private int size;
  private long highest;
  private final List<List<String>> sets = new ArrayList<>();
  private final Map<List<String>, Integer> setIndex = new HashMap<>();

  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  public boolean containsKey(long uid) {
    return slotOf(uid) >= 0;
  }

  /**
   * @return the flags last announced for the UID, or null if it is not known
   */
  public List<String> get(long uid) {
    int slot = slotOf(uid);
    return slot < 0 ? null : sets.get(flagSets[slot]);
  }

  /** Records the UID as announced with these flags. */
  public void put(long uid, List<String> flags) {
    int key = key(uid);
    if ((size + 1) * 4 > uids.length * 3) {
      grow();
    }
    int set = intern(flags);
    int mask = uids.length - 1;
    for (int i = hash(key) & mask; ; i = (i + 1) & mask) {
      if (uids[i] == EMPTY) {
        uids[i] = key;
        flagSets[i] = set;
        size++;
        highest = Math.max(highest, uid);
        return;
      }
      if (uids[i] == key) {
        flagSets[i] = set;
        return;
      }
    }
  }

  /**
   * @return the flags the UID had, or null if it was not known
   */
  public List<String> remove(long uid) {
    int slot = slotOf(uid);
    if (slot < 0) {
      return null;
    }
    List<String> flags = sets.get(flagSets[slot]);
    deleteAt(slot);
    size--;
    if (uid == highest) {
      highest = 0;
      for (int key : uids) {
        if (key != EMPTY) {
          highest = Math.max(highest, Integer.toUnsignedLong(key));
        }
      }
    }
    return flags;
  }

  /** The highest UID known; 0 when none is. */
  public long highest() {
    return highest;
  }

  /** Every known UID, ascending. A new array: the caller may keep it while this changes. */
  public long[] uids() {
    long[] out = new long[size];
    int n = 0;
    for (int key : uids) {
      if (key != EMPTY) {
        out[n++] = Integer.toUnsignedLong(key);
      }
    }
    Arrays.sort(out);
    return out;
  }

  private int slotOf(long uid) {
    if (uid < 1 || uid > 0xFFFF_FFFFL) {
      return -1;
    }
    int key = (int) uid;
    int mask = uids.length - 1;
    for (int i = hash(key) & mask; uids[i] != EMPTY; i = (i + 1) & mask) {
      if (uids[i] == key) {
        return i;
      }
    }
    return -1;
  }

  /** Linear probing's deletion without tombstones: later entries of the run move up. */
  private void deleteAt(int slot) {
    int mask = uids.length - 1;
    int gap = slot;
    for (int i = (slot + 1) & mask; uids[i] != EMPTY; i = (i + 1) & mask) {
      int home = hash(uids[i]) & mask;
      // The entry at i may fill the gap if its home is not in the cyclic range (gap, i].
      boolean movable = gap <= i ? (home <= gap || home > i) : (home <= gap && home > i);
      if (movable) {
        uids[gap] = uids[i];
        flagSets[gap] = flagSets[i];
        gap = i;
      }
    }
    uids[gap] = EMPTY;
  }

  private void grow() {
    int[] oldUids = uids;
    int[] oldSets = flagSets;
    uids = new int[oldUids.length * 2];
    flagSets = new int[oldUids.length * 2];
    int mask = uids.length - 1;
    for (int j = 0; j < oldUids.length; j++) {
      if (oldUids[j] != EMPTY) {
        int i = hash(oldUids[j]) & mask;
        while (uids[i] != EMPTY) {
          i = (i + 1) & mask;
        }
        uids[i] = oldUids[j];
        flagSets[i] = oldSets[j];
      }
    }
  }

  private int intern(List<String> flags) {
    List<String> copy = List.copyOf(flags);
    Integer index = setIndex.get(copy);
    if (index == null) {
      index = sets.size();
      sets.add(copy);
      setIndex.put(copy, index);
    }
    return index;
  }

  private static int key(long uid) {
    if (uid < 1 || uid > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("not a UID: " + uid);
    }
    return (int) uid;
  }

  /** UIDs come in runs: a multiplicative hash spreads a run over the table. */
  private static int hash(int key) {
    int h = key * 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
