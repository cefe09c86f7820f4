package dev.mailroom.connector.command;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Flag lists compared as IMAP does: flags and keywords are case-insensitive (RFC 9051 §2.3.2). */
final class Flags {

  private Flags() {}

  static boolean has(Collection<String> flags, String flag) {
    return flags.stream().anyMatch(f -> f.equalsIgnoreCase(flag));
  }

  /** Both lists' flags, each once, in first-seen order. */
  static List<String> union(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>();
    for (List<String> list : List.of(a, b)) {
      for (String f : list) {
        if (!has(out, f)) {
          out.add(f);
        }
      }
    }
    return out;
  }
}
