package dev.mailroom.search.query;

import dev.mailroom.events.search.SearchTerm;
import dev.mailroom.events.search.SearchTerm.Kind;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the search grammar of {@code search-service/docs/query.md} into a {@link SearchQuery}.
 * Whitespace separates terms; {@code "..."} is a phrase (a field's value may be quoted too); a
 * leading {@code -} negates a term; {@code name:value} is a field when {@code name} is letters
 * only, and an unknown name is refused rather than searched as a word, so a typo such as {@code
 * form:anna} is not silently a search for "form:anna".
 */
public final class QueryParser {

  /** Longest query accepted, in characters: a longer one is not typed by a person. */
  public static final int MAX_LENGTH = 512;

  /** Most terms in one query: each becomes a condition on the server and in the index. */
  public static final int MAX_TERMS = 24;

  private static final Map<String, Kind> VALUE_FIELDS =
      Map.of(
          "from",
          Kind.FROM,
          "to",
          Kind.TO,
          "cc",
          Kind.CC,
          "subject",
          Kind.SUBJECT,
          "before",
          Kind.BEFORE,
          "after",
          Kind.AFTER);
  private static final String KNOWN =
      "from:, to:, cc:, subject:, has:attachment, is:unread, " + "is:flagged, before:, after:, in:";

  private QueryParser() {}

  public static SearchQuery parse(String text) {
    if (text == null || text.isBlank()) {
      throw new QueryException(
          "the query is empty: give at least one word or field, e.g. q=invoice");
    }
    if (text.length() > MAX_LENGTH) {
      throw new QueryException(
          "the query is "
              + text.length()
              + " characters long; at most "
              + MAX_LENGTH
              + " are accepted");
    }
    List<SearchTerm> terms = new ArrayList<>();
    String mailbox = null;
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
        continue;
      }
      boolean negated = false;
      if (c == '-' && i + 1 < n && !Character.isWhitespace(text.charAt(i + 1))) {
        negated = true;
        i++;
      }
      if (text.charAt(i) == '"') {
        int end = closingQuote(text, i);
        String phrase = text.substring(i + 1, end).strip();
        i = end + 1;
        if (!phrase.isEmpty()) {
          terms.add(
              new SearchTerm(phrase.contains(" ") ? Kind.PHRASE : Kind.WORD, phrase, negated));
        }
        continue;
      }
      int start = i;
      while (i < n
          && !Character.isWhitespace(text.charAt(i))
          && text.charAt(i) != ':'
          && text.charAt(i) != '"') {
        i++;
      }
      String head = text.substring(start, i);
      if (i < n
          && text.charAt(i) == ':'
          && !head.isEmpty()
          && head.chars().allMatch(Character::isLetter)) {
        String field = head.toLowerCase(Locale.ROOT);
        i++;
        String value;
        if (i < n && text.charAt(i) == '"') {
          int end = closingQuote(text, i);
          value = text.substring(i + 1, end).strip();
          i = end + 1;
        } else {
          int vs = i;
          while (i < n && !Character.isWhitespace(text.charAt(i))) {
            i++;
          }
          value = text.substring(vs, i);
        }
        if (field.equals("in")) {
          if (negated) {
            throw new QueryException(
                "-in: is not supported: search one mailbox with in:NAME or all without it");
          }
          if (value.isEmpty()) {
            throw new QueryException(
                "in: needs a mailbox name, e.g. in:INBOX or in:\"Sent Items\"");
          }
          if (mailbox != null && !mailbox.equals(value)) {
            throw new QueryException(
                "in: is given twice ("
                    + mailbox
                    + ", "
                    + value
                    + "); search one mailbox at a time");
          }
          mailbox = value;
          continue;
        }
        terms.add(field(field, value, negated));
      } else {
        // A word; a colon after anything but a plain field name stays part of it (10:30, a:b:c).
        while (i < n && !Character.isWhitespace(text.charAt(i)) && text.charAt(i) != '"') {
          i++;
        }
        String word = text.substring(start, i);
        if (!word.isEmpty()) {
          terms.add(new SearchTerm(Kind.WORD, word, negated));
        }
      }
      if (terms.size() > MAX_TERMS) {
        throw new QueryException("the query has more than " + MAX_TERMS + " terms; narrow it down");
      }
    }
    if (terms.isEmpty()) {
      throw new QueryException(
          mailbox == null
              ? "the query has no term: give at least one word or field, e.g. q=invoice"
              : "in:"
                  + mailbox
                  + " alone searches nothing: add a word or a field, e.g. in:"
                  + mailbox
                  + " is:unread");
    }
    if (terms.stream().allMatch(SearchTerm::negated)) {
      throw new QueryException(
          "every term is negated: add at least one term the messages must match");
    }
    return new SearchQuery(terms, mailbox);
  }

  private static SearchTerm field(String field, String value, boolean negated) {
    switch (field) {
      case "has" -> {
        if (!value.equalsIgnoreCase("attachment")) {
          throw new QueryException(
              "has:" + value + " is not known; the only one is has:attachment");
        }
        return new SearchTerm(Kind.HAS_ATTACHMENT, null, negated);
      }
      case "is" -> {
        return switch (value.toLowerCase(Locale.ROOT)) {
          case "unread" -> new SearchTerm(Kind.UNREAD, null, negated);
          case "read" -> new SearchTerm(Kind.UNREAD, null, !negated);
          case "flagged", "starred" -> new SearchTerm(Kind.FLAGGED, null, negated);
          default ->
              throw new QueryException(
                  "is:" + value + " is not known; use is:unread, is:read or is:flagged");
        };
      }
      default -> {
        Kind kind = VALUE_FIELDS.get(field);
        if (kind == null) {
          throw new QueryException(
              "unknown field '"
                  + field
                  + ":'; known fields are "
                  + KNOWN
                  + " (put the word in quotes to search for it as text)");
        }
        if (value.isEmpty()) {
          throw new QueryException(
              field
                  + ": needs a value, e.g. "
                  + field
                  + ":"
                  + (kind == Kind.BEFORE || kind == Kind.AFTER ? "2026-01-31" : "anna"));
        }
        if (kind == Kind.BEFORE || kind == Kind.AFTER) {
          try {
            LocalDate.parse(value);
          } catch (DateTimeParseException e) {
            throw new QueryException(
                field
                    + ":"
                    + value
                    + " is not a date; write it as yyyy-MM-dd, e.g. "
                    + field
                    + ":2026-01-31");
          }
        }
        return new SearchTerm(kind, value, negated);
      }
    }
  }

  private static int closingQuote(String text, int open) {
    int end = text.indexOf('"', open + 1);
    if (end < 0) {
      throw new QueryException("a quote opened at character " + (open + 1) + " is never closed");
    }
    return end;
  }
}
