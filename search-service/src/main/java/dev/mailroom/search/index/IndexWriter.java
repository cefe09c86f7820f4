package dev.mailroom.search.index;

import dev.mailroom.events.MailroomEvent;
import dev.mailroom.events.account.AccountEvent;
import dev.mailroom.events.command.CommandEvent;
import dev.mailroom.events.connection.ConnectionEstablished;
import dev.mailroom.events.connection.ConnectionFailed;
import dev.mailroom.events.mail.CommandApplied;
import dev.mailroom.events.mail.CommandFailed;
import dev.mailroom.events.mail.FlagsChanged;
import dev.mailroom.events.mail.MailboxChanged;
import dev.mailroom.events.mail.MailboxStatus;
import dev.mailroom.events.mail.MessageAdded;
import dev.mailroom.events.mail.MessageExpunged;
import dev.mailroom.events.mail.MessageSkipped;
import dev.mailroom.events.mail.SyncProgress;
import dev.mailroom.events.model.EmailAddress;
import dev.mailroom.events.outbox.OutboxEvent;
import dev.mailroom.events.search.SearchReplyEvent;
import dev.mailroom.events.search.SearchRequestEvent;
import dev.mailroom.events.status.AccountStatusEvent;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Applies mail and connection events to the local index, a batch per transaction. Every rule is
 * idempotent, so the replays of at-least-once delivery change nothing: an add is an upsert of the
 * location, an expunge a delete of it, a flag change never goes back to an older MODSEQ.
 */
@ApplicationScoped
public class IndexWriter {

  /** Text indexed per message, in characters: enough for the words a person searches for. */
  static final int BODY_CHARS = 65_536;

  // A location holds one message: a later add at the same place (after a reset) replaces it.
  private static final String ADD =
      """
      insert into indexed_message (account_id, mailbox, uid_validity, uid, identity, subject,
        from_text, to_text, cc_text, body, sent_at, flags, mod_seq, attachments)
      values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      on conflict (account_id, mailbox, uid) do update set uid_validity = excluded.uid_validity,
        identity = excluded.identity, subject = excluded.subject, from_text = excluded.from_text,
        to_text = excluded.to_text, cc_text = excluded.cc_text, body = excluded.body,
        sent_at = excluded.sent_at, flags = excluded.flags, mod_seq = excluded.mod_seq,
        attachments = excluded.attachments""";
  // The words of the batch's new messages go to the lexicon the trigram search expands typos
  // against, read from the stored tsvector (one statement per batch, no second parse); words
  // longer than 40 characters are ids and hashes, nobody types them with a typo.
  private static final String WORDS =
      """
      insert into indexed_word (word)
      select distinct w.lexeme from indexed_message m
        join unnest(?::uuid[], ?::text[], ?::bigint[]) as l(account_id, mailbox, uid)
          on m.account_id = l.account_id and m.mailbox = l.mailbox and m.uid = l.uid,
        unnest(m.doc) as w
      where length(w.lexeme) between 3 and 40
      on conflict do nothing""";
  // RFC 7162 §3.1.4: a change with a lower MODSEQ than the one applied is older; without
  // CONDSTORE (null MODSEQ) the latest event of the partition wins.
  private static final String FLAGS =
      """
      update indexed_message set flags = ?, mod_seq = ?::bigint
      where account_id = ? and mailbox = ? and uid_validity = ? and uid = ?
        and (?::bigint is null or mod_seq is null or mod_seq <= ?::bigint)""";
  private static final String EXPUNGE =
      """
      delete from indexed_message where account_id = ? and mailbox = ? and uid_validity = ? and uid = ?""";
  // RFC 9051 §2.3.1.1: after a UIDVALIDITY change every UID of the old one is void.
  private static final String RESET =
      """
      delete from indexed_message where account_id = ? and mailbox = ? and uid_validity <> ?""";
  private static final String DROP_MAILBOX =
      "delete from indexed_message where account_id = ? and mailbox = ?";
  private static final String DROP_MAILBOX_STATE =
      "delete from indexed_mailbox where account_id = ? and mailbox = ?";
  private static final String RENAME =
      "update indexed_message set mailbox = ? where account_id = ? and mailbox = ?";
  private static final String RENAME_STATE =
      "update indexed_mailbox set mailbox = ? where account_id = ? and mailbox = ?";
  private static final String PROGRESS =
      """
      insert into indexed_mailbox (account_id, mailbox, uid_validity, synced) values (?, ?, ?, ?)
      on conflict (account_id, mailbox) do update set uid_validity = excluded.uid_validity,
        synced = excluded.synced""";
  private static final String STATUS =
      """
      insert into indexed_mailbox (account_id, mailbox, uid_validity, synced, messages) values (?, ?, ?, true, ?)
      on conflict (account_id, mailbox) do update set uid_validity = excluded.uid_validity,
        synced = true, messages = excluded.messages""";
  private static final String CAPABILITIES =
      """
      insert into indexed_account (account_id, capabilities, seen_at) values (?, ?, ?)
      on conflict (account_id) do update set capabilities = excluded.capabilities, seen_at = excluded.seen_at
      where indexed_account.seen_at <= excluded.seen_at""";

  private final AgroalDataSource dataSource;

  IndexWriter(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * Applies the events in order, in one transaction. Runs of message additions go to the database
   * as one JDBC batch, flushed before any other event so that order holds.
   */
  public void apply(List<? extends MailroomEvent> events) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (Adds adds = new Adds(c)) {
        for (MailroomEvent event : events) {
          if (event instanceof MessageAdded m) {
            adds.add(m);
          } else {
            adds.flush();
            apply(c, event);
          }
        }
        adds.flush();
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  private void apply(Connection c, MailroomEvent event) throws SQLException {
    switch (event) {
      case MessageAdded m -> throw new IllegalStateException("additions go through Adds");
      case FlagsChanged f ->
          run(
              c,
              FLAGS,
              c.createArrayOf("text", f.flags().toArray()),
              f.modSeq() == null ? null : f.modSeq().value(),
              f.accountId().value(),
              f.mailbox().value(),
              f.uidValidity().value(),
              f.uid().value(),
              f.modSeq() == null ? null : f.modSeq().value(),
              f.modSeq() == null ? null : f.modSeq().value());
      case MessageExpunged x ->
          run(
              c,
              EXPUNGE,
              x.accountId().value(),
              x.mailbox().value(),
              x.uidValidity().value(),
              x.uid().value());
      case MailboxChanged m -> changed(c, m);
      case SyncProgress p ->
          run(
              c,
              PROGRESS,
              p.accountId().value(),
              p.mailbox().value(),
              p.uidValidity().value(),
              p.done() >= p.total());
      case MailboxStatus s ->
          run(
              c,
              STATUS,
              s.accountId().value(),
              s.path().value(),
              s.uidValidity().value(),
              s.messages());
      case ConnectionEstablished e ->
          run(
              c,
              CAPABILITIES,
              e.accountId().value(),
              c.createArrayOf("text", e.capabilities().toArray()),
              Timestamp.from(e.at()));
      // Skipped messages, command outcomes and failed connections carry nothing to search.
      case MessageSkipped _, CommandApplied _, CommandFailed _, ConnectionFailed _ -> {}
      // Other topics' events: not read here.
      case AccountEvent _,
          AccountStatusEvent _,
          CommandEvent _,
          SearchRequestEvent _,
          SearchReplyEvent _,
          OutboxEvent _ -> {}
    }
  }

  /** A run of additions, sent as one batch, and their words added to the lexicon after it. */
  private static final class Adds implements AutoCloseable {
    private final Connection c;
    private final PreparedStatement insert;
    private final List<Object> accounts = new java.util.ArrayList<>();
    private final List<String> mailboxes = new java.util.ArrayList<>();
    private final List<Long> uids = new java.util.ArrayList<>();

    Adds(Connection c) throws SQLException {
      this.c = c;
      this.insert = c.prepareStatement(ADD);
    }

    void add(MessageAdded m) throws SQLException {
      String body = m.textBody() != null ? m.textBody() : m.snippet();
      if (body != null && body.length() > BODY_CHARS) {
        body = body.substring(0, BODY_CHARS);
      }
      Instant sent = m.sentAt() != null ? m.sentAt() : m.internalDate();
      bind(
          insert,
          m.accountId().value(),
          m.mailbox().value(),
          m.uidValidity().value(),
          m.uid().value(),
          m.identity(),
          clean(m.subject()),
          clean(addresses(m.from())),
          clean(addresses(m.to())),
          clean(addresses(m.cc())),
          clean(body),
          sent == null ? null : Timestamp.from(sent),
          c.createArrayOf("text", m.flags().toArray()),
          m.modSeq() == null ? null : m.modSeq().value(),
          m.attachments().size());
      insert.addBatch();
      accounts.add(m.accountId().value());
      mailboxes.add(m.mailbox().value());
      uids.add(m.uid().value());
    }

    void flush() throws SQLException {
      if (uids.isEmpty()) {
        return;
      }
      insert.executeBatch();
      run(
          c,
          WORDS,
          c.createArrayOf("uuid", accounts.toArray()),
          c.createArrayOf("text", mailboxes.toArray()),
          c.createArrayOf("bigint", uids.toArray()));
      accounts.clear();
      mailboxes.clear();
      uids.clear();
    }

    @Override
    public void close() throws SQLException {
      insert.close();
    }
  }

  /** PostgreSQL text cannot hold NUL, which broken mail does carry. */
  static String clean(String text) {
    return text == null || text.indexOf('\0') < 0 ? text : text.replace("\0", "");
  }

  private void changed(Connection c, MailboxChanged m) throws SQLException {
    Object account = m.accountId().value();
    switch (m.change()) {
      case DELETED -> {
        run(c, DROP_MAILBOX, account, m.path().value());
        run(c, DROP_MAILBOX_STATE, account, m.path().value());
      }
      case RENAMED -> {
        run(c, DROP_MAILBOX, account, m.path().value());
        run(c, DROP_MAILBOX_STATE, account, m.path().value());
        run(c, RENAME, m.path().value(), account, m.previousPath().value());
        run(c, RENAME_STATE, m.path().value(), account, m.previousPath().value());
      }
      case RESET -> {
        run(c, RESET, account, m.path().value(), m.uidValidity().value());
        // A fresh sync of the mailbox follows: until its status, the index is behind.
        run(c, PROGRESS, account, m.path().value(), m.uidValidity().value(), false);
      }
      case CREATED -> {}
    }
  }

  /** Names and addresses of a field, for full text and substring search alike. */
  static String addresses(List<EmailAddress> list) {
    return list.stream()
        .map(
            a ->
                (a.name() == null ? "" : a.name() + " ") + (a.address() == null ? "" : a.address()))
        .map(String::strip)
        .collect(Collectors.joining(", "));
  }

  private static void run(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, params);
      s.executeUpdate();
    }
  }

  private static void bind(PreparedStatement s, Object... params) throws SQLException {
    for (int i = 0; i < params.length; i++) {
      if (params[i] == null) {
        s.setNull(i + 1, Types.NULL);
      } else {
        s.setObject(i + 1, params[i]);
      }
    }
  }
}
