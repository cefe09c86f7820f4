package dev.mailroom.events.search;

/**
 * One condition of a search, as parsed from the user's query (search-service's {@code
 * QueryParser}): a search is the conjunction of its terms. This structured form is what travels to
 * the connector, which turns each term into IMAP search keys with its own quoting; a query is never
 * pasted into an IMAP command as text.
 *
 * @param kind what the term tests
 * @param value the word, phrase, address part or date ({@code yyyy-MM-dd}); null for the kinds that
 *     take none ({@link Kind#HAS_ATTACHMENT}, {@link Kind#UNREAD}, {@link Kind#FLAGGED})
 * @param negated true for {@code -term}: the message must not match it
 */
public record SearchTerm(Kind kind, String value, boolean negated) {

  /** What a term tests; the comment names the query syntax. */
  public enum Kind {
    /** {@code word}: anywhere in subject, addresses or text. */
    WORD,
    /** {@code "a phrase"}: these words in this order. */
    PHRASE,
    /** {@code from:x} */
    FROM,
    /** {@code to:x} */
    TO,
    /** {@code cc:x} */
    CC,
    /** {@code subject:x} */
    SUBJECT,
    /** {@code has:attachment} */
    HAS_ATTACHMENT,
    /** {@code is:unread} */
    UNREAD,
    /** {@code is:flagged} */
    FLAGGED,
    /** {@code before:yyyy-MM-dd}: sent before that day (RFC 9051 SENTBEFORE). */
    BEFORE,
    /** {@code after:yyyy-MM-dd}: sent on that day or later (RFC 9051 SENTSINCE). */
    AFTER;

    /** Whether the term carries a value. */
    public boolean hasValue() {
      return this != HAS_ATTACHMENT && this != UNREAD && this != FLAGGED;
    }
  }

  public SearchTerm {
    if (kind == null) {
      throw new IllegalArgumentException("a search term needs a kind");
    }
    if (kind.hasValue() && (value == null || value.isBlank())) {
      throw new IllegalArgumentException(kind + " needs a value");
    }
    if (!kind.hasValue()) {
      value = null;
    }
  }
}
