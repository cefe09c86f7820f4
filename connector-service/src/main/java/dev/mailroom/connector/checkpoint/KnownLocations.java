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
 * <p>This is the one part of a session's memory that grows with the mailbox, so it is kept small.
 * Servers hand out UIDs in ascending runs (RFC 9051 §2.3.1.1), so a mailbox's UIDs are mostly
 * dense: they are kept in pages of 1,024 consecutive UIDs. A page that holds few of its UIDs lists
 * them (sorted offsets of 2 bytes and a byte of flags each); past {@value #SPARSE_MAX} it becomes a
 * table of one byte per UID of its range. A mailbox without holes takes about 1.1 bytes a message
 * (300,000 messages: 330 KB), one with a message every few UIDs about 3, and the worst (every
 * message in a page of its own) about 100. Flags are stored as an index into the flag sets this
 * mailbox has seen, which are few (most messages share {@code \Seen} or nothing): the first 254 fit
 * the byte, the rarer rest are kept in a map by UID. Owned by one session thread: not thread-safe.
 */
public final class KnownLocations {

  private static final int PAGE_BITS = 10;
  private static final int PAGE_MASK = (1 << PAGE_BITS) - 1;

  /** A sparse page holds at most this many UIDs (768 bytes at most, a dense page 1,024). */
  private static final int SPARSE_MAX = 256;

  /** A dense page that falls to this many UIDs lists them again. */
  private static final int DENSE_MIN = 64;

  /** A flag byte of 0: the UID is not known. 1-254: the index of its flag set + 1. */
  private static final int ABSENT = 0;

  /** A flag byte of 255: the index of its flag set is in {@link #overflow}. */
  private static final int OVERFLOW = 255;

  private final Map<Integer, Page> pages = new HashMap<>();
  private final Map<Long, Integer> overflow = new HashMap<>();
  private final List<List<String>> sets = new ArrayList<>();
  private final Map<List<String>, Integer> setIndex = new HashMap<>();
  private int size;
  private long highest;

  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  public boolean containsKey(long uid) {
    return code(uid) != ABSENT;
  }

  /**
   * @return the flags last announced for the UID, or null if it is not known
   */
  public List<String> get(long uid) {
    int code = code(uid);
    return code == ABSENT ? null : sets.get(index(uid, code));
  }

  /** Records the UID as announced with these flags. */
  public void put(long uid, List<String> flags) {
    if (uid < 1 || uid > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("not a UID: " + uid);
    }
    int set = intern(flags);
    int code = set + 1 < OVERFLOW ? set + 1 : OVERFLOW;
    if (code == OVERFLOW) {
      overflow.put(uid, set);
    } else if (!overflow.isEmpty()) {
      overflow.remove(uid);
    }
    Page page = pages.computeIfAbsent(pageOf(uid), k -> new Page());
    if (page.put((int) uid & PAGE_MASK, (byte) code)) {
      size++;
      highest = Math.max(highest, uid);
    }
  }

  /**
   * @return the flags the UID had, or null if it was not known
   */
  public List<String> remove(long uid) {
    Page page = uid < 1 || uid > 0xFFFF_FFFFL ? null : pages.get(pageOf(uid));
    int code = page == null ? ABSENT : page.remove((int) uid & PAGE_MASK);
    if (code == ABSENT) {
      return null;
    }
    List<String> flags = sets.get(index(uid, code));
    if (code == OVERFLOW) {
      overflow.remove(uid);
    }
    size--;
    if (page.size == 0) {
      pages.remove(pageOf(uid));
    }
    if (uid == highest) {
      highest = 0;
      int last = pages.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1);
      if (last >= 0) {
        highest = ((long) last << PAGE_BITS) | pages.get(last).lastOffset();
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
    int[] keys = pages.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
    int n = 0;
    for (int key : keys) {
      n = pages.get(key).appendUids((long) key << PAGE_BITS, out, n);
    }
    return out;
  }

  private int code(long uid) {
    if (uid < 1 || uid > 0xFFFF_FFFFL) {
      return ABSENT;
    }
    Page page = pages.get(pageOf(uid));
    return page == null ? ABSENT : page.code((int) uid & PAGE_MASK);
  }

  private int index(long uid, int code) {
    return code == OVERFLOW ? overflow.get(uid) : code - 1;
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

  private static int pageOf(long uid) {
    return (int) (uid >>> PAGE_BITS);
  }

  /**
   * The UIDs of one range of 1,024, with their flag bytes: sparse (sorted {@code offsets} and
   * {@code codes} side by side) or dense ({@code offsets} null, {@code codes[offset]}).
   */
  private static final class Page {
    short[] offsets = new short[4];
    byte[] codes = new byte[4];
    int size;

    int code(int offset) {
      if (offsets == null) {
        return codes[offset] & 0xFF;
      }
      int i = Arrays.binarySearch(offsets, 0, size, (short) offset);
      return i < 0 ? ABSENT : codes[i] & 0xFF;
    }

    /**
     * @return true when the offset was not in the page before
     */
    boolean put(int offset, byte code) {
      if (offsets == null) {
        boolean added = codes[offset] == ABSENT;
        codes[offset] = code;
        size += added ? 1 : 0;
        return added;
      }
      int i = Arrays.binarySearch(offsets, 0, size, (short) offset);
      if (i >= 0) {
        codes[i] = code;
        return false;
      }
      if (size == SPARSE_MAX) {
        densify();
        return put(offset, code);
      }
      i = -i - 1;
      if (size == offsets.length) {
        offsets = Arrays.copyOf(offsets, size * 2);
        codes = Arrays.copyOf(codes, size * 2);
      }
      System.arraycopy(offsets, i, offsets, i + 1, size - i);
      System.arraycopy(codes, i, codes, i + 1, size - i);
      offsets[i] = (short) offset;
      codes[i] = code;
      size++;
      return true;
    }

    /**
     * @return the code the offset had, {@link #ABSENT} when it was not there
     */
    int remove(int offset) {
      if (offsets == null) {
        int code = codes[offset] & 0xFF;
        if (code != ABSENT) {
          codes[offset] = ABSENT;
          if (--size == DENSE_MIN) {
            sparsify();
          }
        }
        return code;
      }
      int i = Arrays.binarySearch(offsets, 0, size, (short) offset);
      if (i < 0) {
        return ABSENT;
      }
      int code = codes[i] & 0xFF;
      System.arraycopy(offsets, i + 1, offsets, i, size - i - 1);
      System.arraycopy(codes, i + 1, codes, i, size - i - 1);
      size--;
      return code;
    }

    int lastOffset() {
      if (offsets != null) {
        return offsets[size - 1];
      }
      int offset = codes.length - 1;
      while (codes[offset] == ABSENT) {
        offset--;
      }
      return offset;
    }

    int appendUids(long base, long[] out, int n) {
      if (offsets != null) {
        for (int i = 0; i < size; i++) {
          out[n++] = base | offsets[i];
        }
        return n;
      }
      for (int offset = 0; offset < codes.length; offset++) {
        if (codes[offset] != ABSENT) {
          out[n++] = base | offset;
        }
      }
      return n;
    }

    private void densify() {
      byte[] table = new byte[PAGE_MASK + 1];
      for (int i = 0; i < size; i++) {
        table[offsets[i]] = codes[i];
      }
      offsets = null;
      codes = table;
    }

    private void sparsify() {
      short[] listed = new short[size];
      byte[] listedCodes = new byte[size];
      int n = 0;
      for (int offset = 0; offset < codes.length; offset++) {
        if (codes[offset] != ABSENT) {
          listed[n] = (short) offset;
          listedCodes[n++] = codes[offset];
        }
      }
      offsets = listed;
      codes = listedCodes;
    }
  }
}
