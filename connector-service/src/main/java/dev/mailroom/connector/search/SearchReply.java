package dev.mailroom.connector.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.eclipse.angus.mail.imap.protocol.UIDSet;

/**
 * The UIDs and relevancy scores of one search reply, read from its text: an ESEARCH reply (RFC 4731
 * §3.1) {@code (TAG "A5") UID ALL 3,9,14:15 RELEVANCY (91 100 94 94)} or a plain {@code SEARCH 3 9
 * 14 15}. RFC 6203 §4: RELEVANCY lists one score per matching message, in the order of the ALL set
 * (ascending); no match means neither ALL nor scores.
 */
public record SearchReply(long[] uids, int[] relevancy) {

  /** Reads an ESEARCH reply's data, everything after {@code * ESEARCH}. */
  public static SearchReply esearch(String data) {
    Tokens t = new Tokens(data);
    long[] uids = new long[0];
    int[] scores = null;
    while (t.more()) {
      if (t.peek() == '(') {
        t.list(); // the search correlator (TAG "...")
        continue;
      }
      String name = t.atom();
      switch (name.toUpperCase()) {
        case "UID" -> {}
        case "ALL" -> uids = UIDSet.toArray(UIDSet.parseUIDSets(t.atom()));
        case "RELEVANCY" -> scores = t.list().stream().mapToInt(Integer::parseInt).toArray();
        default -> {
          // MIN, MAX, COUNT, MODSEQ: one value each; skip it (a list for an unknown extension).
          if (t.more()) {
            if (t.peek() == '(') {
              t.list();
            } else {
              t.atom();
            }
          }
        }
      }
    }
    if (scores != null && scores.length != uids.length) {
      throw new IllegalArgumentException(
          "RELEVANCY has " + scores.length + " scores for " + uids.length + " UIDs");
    }
    return new SearchReply(uids, scores);
  }

  /** Reads a plain SEARCH reply's data: UIDs separated by spaces. */
  public static SearchReply plain(String data) {
    String text = data.strip();
    long[] uids =
        text.isEmpty()
            ? new long[0]
            : Arrays.stream(text.split("\\s+"))
                .filter(s -> s.chars().allMatch(Character::isDigit))
                .mapToLong(Long::parseLong)
                .toArray();
    Arrays.sort(uids);
    return new SearchReply(uids, null);
  }

  private static final class Tokens {
    private final String s;
    private int i;

    Tokens(String s) {
      this.s = s;
    }

    boolean more() {
      while (i < s.length() && s.charAt(i) == ' ') {
        i++;
      }
      return i < s.length();
    }

    char peek() {
      return s.charAt(i);
    }

    String atom() {
      more();
      int start = i;
      while (i < s.length() && s.charAt(i) != ' ' && s.charAt(i) != '(' && s.charAt(i) != ')') {
        i++;
      }
      return s.substring(start, i);
    }

    /** A parenthesised list of atoms or quoted strings, without nesting. */
    List<String> list() {
      more();
      if (s.charAt(i) != '(') {
        throw new IllegalArgumentException("expected a list at " + i + " in: " + s);
      }
      i++;
      List<String> out = new ArrayList<>();
      while (more() && s.charAt(i) != ')') {
        if (s.charAt(i) == '"') {
          int end = s.indexOf('"', i + 1);
          out.add(s.substring(i + 1, end));
          i = end + 1;
        } else {
          out.add(atom());
        }
      }
      if (i >= s.length()) {
        throw new IllegalArgumentException("unclosed list in: " + s);
      }
      i++;
      return out;
    }
  }
}
