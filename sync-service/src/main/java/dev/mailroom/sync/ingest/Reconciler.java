package dev.mailroom.sync.ingest;

import static dev.mailroom.sync.ingest.NamedStatement.params;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.mailroom.events.EventCodec;
import dev.mailroom.events.MailroomEvent;
import dev.mailroom.events.mail.CommandApplied;
import dev.mailroom.events.mail.CommandFailed;
import dev.mailroom.events.mail.FlagsChanged;
import dev.mailroom.events.mail.MailEvent;
import dev.mailroom.events.mail.MailboxChanged;
import dev.mailroom.events.mail.MailboxStatus;
import dev.mailroom.events.mail.MessageAdded;
import dev.mailroom.events.mail.MessageExpunged;
import dev.mailroom.events.mail.MessageSkipped;
import dev.mailroom.events.mail.SyncProgress;
import dev.mailroom.events.model.MailboxPath;
import dev.mailroom.events.model.ModSeq;
import dev.mailroom.events.model.UidValidity;
import dev.mailroom.sync.change.ChangeLocks;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Applies mail events to the store on a plain JDBC connection, in the caller's transaction. Every
 * statement is idempotent and refuses old news, so delivering any event again, or replaying an
 * earlier stretch of the topic, ends in the state of applying each event once (see {@link
 * LocationSql} and {@link MailboxSql} for the rules, and the property test that checks them).
 *
 * <p>Consecutive events of one kind ("added", "flags-changed", "expunged") go to the database
 * together, in order: adds as statements of up to {@value AddedMessages#ROWS_PER_ADD} messages
 * each, flag changes and expunges as one JDBC batch. A first sync of a large mailbox is a few
 * statements per thousand messages, not one per message.
 */
public final class Reconciler {

  private final int bodyMaxChars;
  private final AddedMessages adds;

  /**
   * @param bodyMaxChars text and HTML bodies are cut to this many characters
   */
  public Reconciler(int bodyMaxChars) {
    this.bodyMaxChars = bodyMaxChars;
    this.adds = new AddedMessages(bodyMaxChars);
  }

  /**
   * Applies the events in order. A batch holds events of many accounts (one partition carries
   * many): their change-log locks are all taken first, in one order ({@link ChangeLocks}).
   */
  public void apply(Connection connection, List<? extends MailroomEvent> events)
      throws SQLException {
    ChangeLocks.lock(
        connection, events.stream().map(e -> e.accountId().value()).collect(Collectors.toSet()));
    int i = 0;
    while (i < events.size()) {
      MailroomEvent first = events.get(i);
      NamedStatement batched = batchedStatement(first);
      if (batched == null && !(first instanceof MessageAdded)) {
        applyOne(connection, first);
        i++;
        continue;
      }
      int end = i;
      while (end < events.size() && events.get(end).getClass() == first.getClass()) {
        end++;
      }
      List<? extends MailroomEvent> run = events.subList(i, end);
      if (first instanceof MessageAdded) {
        adds.store(connection, run);
      } else {
        try (PreparedStatement statement = batched.prepare(connection)) {
          for (MailroomEvent event : run) {
            batched.bind(statement, batchParams(event));
            statement.addBatch();
          }
          statement.executeBatch();
        }
      }
      i = end;
    }
  }

  /**
   * The batched statement of a flag change or an expunge; null for the others: adds are stored many
   * to a statement ({@link AddedMessages#store}), the rest one at a time.
   */
  private static NamedStatement batchedStatement(MailroomEvent event) {
    if (!(event instanceof MailEvent mail)) {
      return null;
    }
    // A switch over the sealed MailEvent: a new mail event type does not compile until it is
    // placed.
    return switch (mail) {
      case MessageAdded ignored -> null;
      case FlagsChanged ignored -> LocationSql.FLAGS;
      case MessageExpunged ignored -> LocationSql.EXPUNGE;
      case MessageSkipped ignored -> null;
      case MailboxChanged ignored -> null;
      case MailboxStatus ignored -> null;
      case SyncProgress ignored -> null;
      case CommandApplied ignored -> null;
      case CommandFailed ignored -> null;
    };
  }

  private Map<String, Object> batchParams(MailroomEvent event) throws SQLException {
    return switch (event) {
      case FlagsChanged f ->
          params(
              "account",
              f.accountId().value(),
              "mailbox",
              f.mailbox().value(),
              "uidValidity",
              f.uidValidity().value(),
              "uid",
              f.uid().value(),
              "flags",
              f.flags().toArray(String[]::new),
              "modseq",
              modSeq(f.modSeq()));
      case MessageExpunged x ->
          params(
              "account",
              x.accountId().value(),
              "mailbox",
              x.mailbox().value(),
              "uidValidity",
              x.uidValidity().value(),
              "uid",
              x.uid().value());
      default -> throw new IllegalArgumentException("not batched: " + event.type());
    };
  }

  private void applyOne(Connection c, MailroomEvent event) throws SQLException {
    if (!(event instanceof MailEvent mail)) {
      return; // not for this store
    }
    switch (mail) {
      case MailboxStatus s -> status(c, s);
      case SyncProgress p -> {
        if (!retired(c, p.accountId().value(), p.mailbox(), p.uidValidity())) {
          run(
              c,
              MailboxSql.PROGRESS,
              params(
                  "account",
                  p.accountId().value(),
                  "path",
                  p.mailbox().value(),
                  "uidValidity",
                  p.uidValidity().value(),
                  "done",
                  p.done(),
                  "total",
                  p.total(),
                  "observedAt",
                  time(p.observedAt())));
        }
      }
      case MailboxChanged m -> changed(c, m);
      // message.skipped: the connector could not read the message and says why on the topic;
      // the location stays absent, which is the truth the store can tell. Nothing to store.
      case MessageSkipped ignored -> {}
      case CommandApplied a -> CommandSql.applied(c, a);
      case CommandFailed f -> CommandSql.failed(c, f);
      case MessageAdded a -> throw new IllegalStateException("applied in batches");
      case FlagsChanged f -> throw new IllegalStateException("applied in batches");
      case MessageExpunged x -> throw new IllegalStateException("applied in batches");
    }
  }

  private void status(Connection c, MailboxStatus s) throws SQLException {
    UUID account = s.accountId().value();
    MailboxPath path = s.path();
    UidValidity uidValidity = s.uidValidity();
    if (retired(c, account, path, uidValidity)) {
      return; // Rule: news about a (path, UIDVALIDITY) the server no longer has is old news.
    }
    UidValidity current = current(c, account, path);
    if (current != null && !current.equals(uidValidity)) {
      // RFC 9051 §2.3.1.1: a new UIDVALIDITY voids every UID of the old one, even when the
      // connector's reset event was lost or comes later.
      reset(c, account, path, current, uidValidity);
    }
    run(
        c,
        MailboxSql.STATUS,
        params(
            "account",
            account,
            "path",
            path.value(),
            "delimiter",
            s.delimiter(),
            "role",
            s.role(),
            "uidValidity",
            uidValidity.value(),
            "uidNext",
            s.uidNext(),
            "modseq",
            modSeq(s.highestModSeq()),
            "messages",
            s.messages(),
            "unseen",
            s.unseen(),
            "observedAt",
            time(s.observedAt())));
  }

  private void changed(Connection c, MailboxChanged m) throws SQLException {
    UUID account = m.accountId().value();
    MailboxPath path = m.path();
    switch (m.change()) {
      case CREATED -> {
        if (m.uidValidity() != null && !retired(c, account, path, m.uidValidity())) {
          run(
              c,
              MailboxSql.CREATE,
              params(
                  "account",
                  account,
                  "path",
                  path.value(),
                  "uidValidity",
                  m.uidValidity().value(),
                  "observedAt",
                  time(m.observedAt())));
        }
      }
      case DELETED -> {
        // Without the UIDVALIDITY in the event, the one the store holds is the one deleted.
        UidValidity uidValidity =
            m.uidValidity() != null ? m.uidValidity() : current(c, account, path);
        if (uidValidity != null) {
          retire(c, account, path, uidValidity);
        }
      }
      case RESET -> reset(c, account, path, m.previousUidValidity(), m.uidValidity());
      case RENAMED ->
          rename(
              c,
              account,
              m.previousPath(),
              path,
              m.uidValidity() != null ? m.uidValidity() : current(c, account, m.previousPath()));
    }
  }

  /**
   * Rule: a reset drops that mailbox's locations at the old UIDVALIDITY (and the messages no other
   * location holds) and retires it, so the fresh sync refills the mailbox and a replay of the old
   * stretch cannot bring old UIDs back.
   */
  private void reset(
      Connection c, UUID account, MailboxPath path, UidValidity previous, UidValidity uidValidity)
      throws SQLException {
    if (previous.equals(uidValidity)) {
      return;
    }
    run(
        c,
        MailboxSql.RESET_ROW,
        params(
            "account",
            account,
            "path",
            path.value(),
            "uidValidity",
            uidValidity.value(),
            "previousUidValidity",
            previous.value()));
    retire(c, account, path, previous);
  }

  /**
   * Rule: a rename moves the locations, tombstones and row of (previous path, UIDVALIDITY) to the
   * new path (the server keeps UIDVALIDITY and UIDs on RENAME), retires the old name at that
   * UIDVALIDITY, and makes the new name live again if an earlier rename had retired it. Replayed,
   * it finds the old name retired and changes nothing, even after later renames. One case stays
   * ambiguous without versions: renamed A to B and back to A, a replay of the first rename while A
   * is live again moves A once more; the replayed rename back restores it. The connector sends one
   * event per renamed mailbox, inferior mailboxes included (RFC 9051 §6.3.6).
   */
  private void rename(
      Connection c, UUID account, MailboxPath from, MailboxPath to, UidValidity uidValidity)
      throws SQLException {
    if (uidValidity == null || from.equals(to) || retired(c, account, from, uidValidity)) {
      return; // already applied: the old name at this UIDVALIDITY is gone
    }
    var p =
        params(
            "account",
            account,
            "path",
            to.value(),
            "previousPath",
            from.value(),
            "uidValidity",
            uidValidity.value());
    run(c, MailboxSql.MOVE_LOCATIONS, p);
    run(c, MailboxSql.MOVE_TOMBSTONES, p);
    run(c, MailboxSql.MOVE_ROW, p);
    run(c, MailboxSql.UNRETIRE, p);
    retire(c, account, from, uidValidity);
  }

  /** Retires (path, UIDVALIDITY) and drops what it held. */
  private static void retire(Connection c, UUID account, MailboxPath path, UidValidity uidValidity)
      throws SQLException {
    var p = params("account", account, "path", path.value(), "uidValidity", uidValidity.value());
    run(c, MailboxSql.RETIRE, p);
    run(c, MailboxSql.DROP_LOCATIONS, p);
    run(c, MailboxSql.DELETE_ROW, p);
  }

  private static boolean retired(
      Connection c, UUID account, MailboxPath path, UidValidity uidValidity) throws SQLException {
    try (PreparedStatement s = MailboxSql.IS_RETIRED.prepare(c)) {
      MailboxSql.IS_RETIRED.bind(
          s, params("account", account, "path", path.value(), "uidValidity", uidValidity.value()));
      try (ResultSet rs = s.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** The UIDVALIDITY the store holds for the mailbox, or null. */
  private static UidValidity current(Connection c, UUID account, MailboxPath path)
      throws SQLException {
    try (PreparedStatement s = MailboxSql.CURRENT.prepare(c)) {
      MailboxSql.CURRENT.bind(s, params("account", account, "path", path.value()));
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? UidValidity.of(rs.getLong(1)) : null;
      }
    }
  }

  private static void run(Connection c, NamedStatement sql, Map<String, Object> values)
      throws SQLException {
    try (PreparedStatement s = sql.prepare(c)) {
      sql.bind(s, values);
      s.executeUpdate();
    }
  }

  static Long modSeq(ModSeq value) {
    return value == null ? null : value.value();
  }

  static OffsetDateTime time(Instant instant) {
    return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  static String bound(String text, int max) {
    return text == null || text.length() <= max ? text : text.substring(0, max);
  }

  static String json(Object value) {
    try {
      return EventCodec.mapper().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
