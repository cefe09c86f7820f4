package dev.mailroom.search.index;

import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.search.SearchTerm;
import dev.mailroom.search.query.SearchQuery;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Runs a {@link SearchQuery} on the local index. Each term becomes one SQL condition with its value
 * as a parameter; nothing of the query is pasted into SQL or into a tsquery's text. A word matches
 * itself and the indexed words within trigram distance of it (pg_trgm), which is how a misspelling
 * still finds the message.
 */
@ApplicationScoped
public class LocalSearch {

  /** Close words tried for each query word, besides the word itself. */
  static final int NEIGHBOURS = 5;

  /** Below this length trigrams say little, and a short word is rarely misspelled. */
  static final int MIN_FUZZY_LENGTH = 4;

  // word_similarity would match any word containing the query's trigrams; similarity compares
  // whole words. 0.45 admits one wrong letter in a word of 6-8 letters, not a different word.
  private static final String NEIGHBOURS_SQL =
      """
      select word from indexed_word where word % ? and similarity(word, ?) >= 0.45
      order by similarity(word, ?) desc, word limit ?""";

  private final AgroalDataSource dataSource;

  LocalSearch(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** One page: {@code limit} hits after skipping {@code offset}, newest first. */
  public List<LocalHit> search(AccountId account, SearchQuery query, int offset, int limit)
      throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      List<Object> params = new ArrayList<>();
      StringBuilder where = new StringBuilder("account_id = ?");
      params.add(account.value());
      if (query.mailbox() != null) {
        where.append(" and mailbox = ?");
        params.add(query.mailbox());
      }
      for (SearchTerm term : query.terms()) {
        List<Object> termParams = new ArrayList<>();
        String condition = condition(c, term, termParams);
        where.append(
            term.negated() ? " and not coalesce(" + condition + ", false)" : " and " + condition);
        params.addAll(termParams);
      }
      // Newest first, as mail clients list search results. Ranking by ts_rank was measured too
      // slow for common words (bench/search): it reads every match's tsvector, which TOAST keeps
      // out of line for long mail, where the date order stops after the page on
      // indexed_message_sent. Relevance is what the server-fuzzy route adds where a server has it.
      String sql =
          "select mailbox, uid_validity, uid, identity, subject, from_text, sent_at, 0"
              + " from indexed_message where "
              + where
              + " order by sent_at desc nulls last, mailbox, uid desc offset ? limit ?";
      List<Object> all = new ArrayList<>(params);
      all.add(offset);
      all.add(limit);
      try (PreparedStatement s = c.prepareStatement(sql)) {
        for (int i = 0; i < all.size(); i++) {
          s.setObject(i + 1, all.get(i));
        }
        List<LocalHit> hits = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            Timestamp sent = r.getTimestamp(7);
            hits.add(
                new LocalHit(
                    account.toString(),
                    r.getString(1),
                    r.getLong(2),
                    r.getLong(3),
                    r.getString(4),
                    r.getString(5),
                    r.getString(6),
                    sent == null ? null : sent.toInstant(),
                    r.getDouble(8)));
          }
        }
        return hits;
      }
    }
  }

  /**
   * Whether the index is behind for this search: a mailbox in scope whose first sync has not
   * finished (or that the index has not heard of at all), so the server must be asked too.
   */
  public boolean behind(AccountId account, String mailbox) throws SQLException {
    String sql =
        mailbox == null
            ? "select count(*) = 0 or bool_or(not synced) from indexed_mailbox where account_id = ?"
            : "select coalesce(bool_or(not synced), true) from indexed_mailbox where account_id = ? and mailbox = ?";
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setObject(1, account.value());
      if (mailbox != null) {
        s.setString(2, mailbox);
      }
      try (ResultSet r = s.executeQuery()) {
        return !r.next() || r.getBoolean(1);
      }
    }
  }

  /**
   * The indexed messages at these locations (a server's matches), keyed by {@link #key}; a location
   * the index does not hold is absent.
   */
  public Map<String, LocalHit> locate(
      AccountId account, List<String> mailboxes, long[] uidValidities, long[] uids)
      throws SQLException {
    String sql =
        "select m.mailbox, m.uid_validity, m.uid, m.identity, m.subject, m.from_text, m.sent_at"
            + " from indexed_message m join unnest(?::text[], ?::bigint[], ?::bigint[]) as l(mailbox, uid_validity, uid)"
            + " on m.mailbox = l.mailbox and m.uid_validity = l.uid_validity and m.uid = l.uid where m.account_id = ?";
    Map<String, LocalHit> found = new HashMap<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setArray(1, c.createArrayOf("text", mailboxes.toArray()));
      s.setArray(2, c.createArrayOf("bigint", Arrays.stream(uidValidities).boxed().toArray()));
      s.setArray(3, c.createArrayOf("bigint", Arrays.stream(uids).boxed().toArray()));
      s.setObject(4, account.value());
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          Timestamp sent = r.getTimestamp(7);
          LocalHit hit =
              new LocalHit(
                  account.toString(),
                  r.getString(1),
                  r.getLong(2),
                  r.getLong(3),
                  r.getString(4),
                  r.getString(5),
                  r.getString(6),
                  sent == null ? null : sent.toInstant(),
                  0);
          found.put(key(hit.mailbox(), hit.uidValidity(), hit.uid()), hit);
        }
      }
    }
    return found;
  }

  /** A location as one string: UIDVALIDITY, UID and mailbox. */
  public static String key(String mailbox, long uidValidity, long uid) {
    return uidValidity + "/" + uid + "/" + mailbox;
  }

  /** The account's capability atoms from its last connection, or empty if it never connected. */
  public List<String> capabilities(AccountId account) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement("select capabilities from indexed_account where account_id = ?")) {
      s.setObject(1, account.value());
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? List.of((String[]) r.getArray(1).getArray()) : List.of();
      }
    }
  }

  private static String condition(Connection c, SearchTerm term, List<Object> params)
      throws SQLException {
    return switch (term.kind()) {
      case WORD -> {
        Set<String> words = new LinkedHashSet<>();
        words.add(term.value().toLowerCase(Locale.ROOT));
        words.addAll(neighbours(c, term.value().toLowerCase(Locale.ROOT)));
        params.addAll(words);
        yield "doc @@ ("
            + String.join(" || ", words.stream().map(w -> "plainto_tsquery('simple', ?)").toList())
            + ")";
      }
      case PHRASE -> {
        params.add(term.value());
        yield "doc @@ (phraseto_tsquery('simple', ?))";
      }
      case FROM -> like(params, term.value(), "from_text");
      case TO -> like(params, term.value(), "to_text");
      case CC -> like(params, term.value(), "cc_text");
      case SUBJECT -> like(params, term.value(), "subject");
      case HAS_ATTACHMENT -> "attachments > 0";
      case UNREAD -> "not ('\\Seen' = any(flags))";
      case FLAGGED -> "('\\Flagged' = any(flags))";
      case BEFORE -> {
        params.add(
            Timestamp.from(LocalDate.parse(term.value()).atStartOfDay(ZoneOffset.UTC).toInstant()));
        yield "sent_at < ?";
      }
      case AFTER -> {
        params.add(
            Timestamp.from(LocalDate.parse(term.value()).atStartOfDay(ZoneOffset.UTC).toInstant()));
        yield "sent_at >= ?";
      }
    };
  }

  /** IMAP's FROM, TO, CC and SUBJECT are substring matches (RFC 9051 §6.4.4); so are these. */
  private static String like(List<Object> params, String value, String column) {
    params.add("%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
    return column + " ilike ?";
  }

  private static List<String> neighbours(Connection c, String word) throws SQLException {
    if (word.length() < MIN_FUZZY_LENGTH) {
      return List.of();
    }
    try (PreparedStatement s = c.prepareStatement(NEIGHBOURS_SQL)) {
      s.setString(1, word);
      s.setString(2, word);
      s.setString(3, word);
      s.setInt(4, NEIGHBOURS);
      List<String> out = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.add(r.getString(1));
        }
      }
      return out;
    }
  }
}
