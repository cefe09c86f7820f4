package dev.mailroom.connector.imap;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.LongPredicate;

/**
 * A mailbox's UIDs, ascending, as a sync walks them: kept as runs of consecutive UIDs (8 bytes a
 * run) while the mailbox has fewer runs than half its messages, else as 4 bytes a UID. A mailbox
 * without holes is a few bytes however many messages it holds; the worst case (every other UID
 * gone) is half of a {@code long[]}. UIDs are 32-bit unsigned (RFC 9051 §2.3.1.1), kept in {@code
 * int}s.
 */
public final class UidList {

  private static final UidList EMPTY = new UidList(0, new int[0], new int[0], null);

  private final int size;

  /** The first UID of each run (unsigned), when kept as runs. */
  private final int[] runFirst;

  /** The index in the list of each run's first UID, ascending, when kept as runs. */
  private final int[] runIndex;

  /** Every UID (unsigned), when kept one by one; else null. */
  private final int[] single;

  private UidList(int size, int[] runFirst, int[] runIndex, int[] single) {
    this.size = size;
    this.runFirst = runFirst;
    this.runIndex = runIndex;
    this.single = single;
  }

  /** The UIDs given, which must ascend. */
  public static UidList of(long... ascending) {
    Builder builder = new Builder();
    for (long uid : ascending) {
      builder.add(uid);
    }
    return builder.build();
  }

  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  /** The UID at {@code index}, counted from the lowest. */
  public long get(int index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException(index + " of " + size);
    }
    if (single != null) {
      return Integer.toUnsignedLong(single[index]);
    }
    int run = Arrays.binarySearch(runIndex, index);
    if (run < 0) {
      run = -run - 2; // the run that starts before index
    }
    return Integer.toUnsignedLong(runFirst[run]) + (index - runIndex[run]);
  }

  /** The UIDs {@code [from, to)} as an array, ascending: one batch's. */
  public long[] slice(int from, int to) {
    Objects.checkFromToIndex(from, to, size);
    long[] out = new long[to - from];
    for (int i = from; i < to; i++) {
      out[i - from] = get(i);
    }
    return out;
  }

  /** The UIDs that {@code keep} accepts: this list itself when it accepts them all. */
  public UidList filter(LongPredicate keep) {
    Builder kept = null;
    for (int i = 0; i < size; i++) {
      long uid = get(i);
      if (kept == null && !keep.test(uid)) {
        kept = new Builder();
        for (int j = 0; j < i; j++) {
          kept.add(get(j));
        }
      } else if (kept != null && keep.test(uid)) {
        kept.add(uid);
      }
    }
    return kept == null ? this : kept.build();
  }

  /** How the list is kept, for tests: "runs" or "single". */
  String form() {
    return single == null ? "runs" : "single";
  }

  @Override
  public String toString() {
    return size == 0 ? "[]" : "[" + get(0) + " .. " + get(size - 1) + ", " + size + " UIDs]";
  }

  /** Builds a list from UIDs or ranges of UIDs given in ascending order. */
  public static final class Builder {
    private int size;
    private int runs;
    private int[] runFirst = new int[8];
    private int[] runIndex = new int[8];
    private long last = 0;

    /** Adds one UID, above every UID added before. */
    public Builder add(long uid) {
      return addRange(uid, uid);
    }

    /** Adds the UIDs {@code first..last}, above every UID added before. */
    public Builder addRange(long first, long last) {
      if (first < 1 || last > 0xFFFF_FFFFL || first > last) {
        throw new IllegalArgumentException("not a UID range: " + first + ":" + last);
      }
      if (first <= this.last) {
        throw new IllegalArgumentException("UIDs out of order: " + first + " after " + this.last);
      }
      long count = last - first + 1;
      if (size + count > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("too many UIDs: " + (size + count));
      }
      if (runs == 0 || first != this.last + 1) {
        if (runs == runFirst.length) {
          runFirst = Arrays.copyOf(runFirst, runs * 2);
          runIndex = Arrays.copyOf(runIndex, runs * 2);
        }
        runFirst[runs] = (int) first;
        runIndex[runs] = size;
        runs++;
      }
      size += (int) count;
      this.last = last;
      return this;
    }

    public UidList build() {
      if (size == 0) {
        return EMPTY;
      }
      if (runs * 2L <= size) {
        return new UidList(
            size, Arrays.copyOf(runFirst, runs), Arrays.copyOf(runIndex, runs), null);
      }
      int[] single = new int[size];
      for (int run = 0; run < runs; run++) {
        int end = run + 1 < runs ? runIndex[run + 1] : size;
        for (int i = runIndex[run]; i < end; i++) {
          single[i] = runFirst[run] + (i - runIndex[run]); // wraps like the unsigned UID
        }
      }
      return new UidList(size, null, null, single);
    }
  }
}
