package dev.mailroom.gateway.command;

import dev.mailroom.gateway.problem.Problem.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Checks owner-given keywords against what IMAP can carry, and turns a flag request into an edit.
 */
final class Keywords {

  static final int MAX = 50;
  static final int MAX_LENGTH = 100;

  private Keywords() {}

  /**
   * RFC 9051 §9: a keyword is an atom, i.e. none of {@code ( ) { } SP % * " \ ]} nor a control
   * character, and it does not start with a backslash (those are system flags, set through their
   * own fields). ASCII only: IMAP keywords are not UTF-8 even with UTF8=ACCEPT.
   */
  static boolean valid(String keyword) {
    if (keyword == null || keyword.isEmpty() || keyword.length() > MAX_LENGTH) {
      return false;
    }
    for (char c : keyword.toCharArray()) {
      if (c <= 0x20 || c >= 0x7f || "(){}%*\"\\]".indexOf(c) >= 0) {
        return false;
      }
    }
    return true;
  }

  /** The edit a request asks for, or the field errors that say what to fix. */
  static Edit edit(FlagChangeRequest body, List<FieldError> errors) {
    List<String> add = new ArrayList<>();
    List<String> remove = new ArrayList<>();
    if (body == null) {
      errors.add(new FieldError("body", "send at least one of seen, flagged, answered, keywords"));
      return new Edit(add, remove);
    }
    system(body.seen(), "\\Seen", add, remove);
    system(body.flagged(), "\\Flagged", add, remove);
    system(body.answered(), "\\Answered", add, remove);
    if (body.keywords() != null) {
      keywords(body.keywords().add(), "keywords.add", add, errors);
      keywords(body.keywords().remove(), "keywords.remove", remove, errors);
      for (String k : add) {
        if (k.startsWith("\\")) {
          continue;
        }
        if (remove.stream().anyMatch(r -> r.equalsIgnoreCase(k))) {
          errors.add(
              new FieldError(
                  "keywords", "keyword " + k + " is both added and removed; name it once"));
        }
      }
    }
    if (add.isEmpty() && remove.isEmpty() && errors.isEmpty()) {
      errors.add(
          new FieldError(
              "body", "nothing to change: send at least one of seen, flagged, answered, keywords"));
    }
    return new Edit(add, remove);
  }

  private static void system(Boolean value, String flag, List<String> add, List<String> remove) {
    if (value != null) {
      (value ? add : remove).add(flag);
    }
  }

  private static void keywords(
      List<String> given, String field, List<String> into, List<FieldError> errors) {
    if (given == null) {
      return;
    }
    if (given.size() > MAX) {
      errors.add(new FieldError(field, "at most " + MAX + " keywords"));
      return;
    }
    for (String k : given) {
      if (!valid(k)) {
        errors.add(
            new FieldError(
                field,
                "'"
                    + k
                    + "' is not a keyword IMAP can store: 1 to "
                    + MAX_LENGTH
                    + " printable ASCII characters, none of ( ) { } % * \" \\ ] and no space"));
      } else if (into.stream()
          .noneMatch(x -> x.toLowerCase(Locale.ROOT).equals(k.toLowerCase(Locale.ROOT)))) {
        into.add(k);
      }
    }
  }

  record Edit(List<String> add, List<String> remove) {}
}
