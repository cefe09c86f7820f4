package dev.mailroom.sync.ingest;

import static dev.mailroom.sync.ingest.NamedStatement.params;

import dev.mailroom.events.command.CommandRequested;
import dev.mailroom.events.command.CommandTarget;
import dev.mailroom.events.mail.CommandApplied;
import dev.mailroom.events.mail.CommandFailed;
import dev.mailroom.sync.change.ChangeLocks;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * Commands and their outcomes in the store. The request (commands topic) and the outcome (mail
 * topic) may be read in either order and any number of times; the rules below make every order end
 * in the same rows.
 */
final class CommandSql {

  private CommandSql() {}

  /**
   * Rule: a request read again changes nothing (same command id, which a retried request with the
   * same Idempotency-Key also has). Rule: a request read after its outcome fills in what was asked
   * and leaves the outcome as it is.
   */
  static final NamedStatement REQUEST =
      new NamedStatement(
          """
      insert into command (id, account_id, action, status, targets, idempotency_key, requested_by,
                           requested_at, request_digest)
      values (cast(:id as uuid), :account, :action, 'pending', :targets, :key, :by, :at, :digest)
      on conflict (id) do update set action = excluded.action, targets = excluded.targets,
          idempotency_key = excluded.idempotency_key, requested_by = excluded.requested_by,
          requested_at = excluded.requested_at, request_digest = excluded.request_digest
      where command.requested_at is null
      """);

  /** Rule: the requested flags are shown only while the command is pending. */
  static final NamedStatement PENDING_FLAGS =
      new NamedStatement(
          """
      insert into pending_flags (command_id, account_id, mailbox, uid_validity, uid, add_flags, remove_flags,
                                 move_to, requested_at)
      select cast(:id as uuid), :account, :mailbox, :uidValidity, :uid, :add, :remove, :moveTo, :at
      where exists (select 1 from command where id = cast(:id as uuid) and status = 'pending')
      on conflict do nothing
      """);

  /**
   * Rule: the first outcome stands; one read again, or read before its request, changes nothing
   * more. The outcome's deterministic event id makes a redelivery the same outcome.
   */
  static final NamedStatement OUTCOME =
      new NamedStatement(
          """
      insert into command (id, account_id, status, reason, detail, changed, unchanged, resolved_at)
      values (cast(:id as uuid), :account, :status, :reason, :detail, :changed, :unchanged, :at)
      on conflict (id) do update set status = excluded.status, reason = excluded.reason,
          detail = excluded.detail, changed = excluded.changed, unchanged = excluded.unchanged,
          resolved_at = excluded.resolved_at
      where command.status = 'pending'
      """);

  /** Rule: once resolved, the server's flags stand: their events precede the outcome. */
  static final NamedStatement CLEAR_PENDING =
      new NamedStatement("delete from pending_flags where command_id = cast(:id as uuid)");

  static void request(Connection c, CommandRequested r) throws SQLException {
    // Before the command row: a mail batch holding the account's lock may be about to write this
    // command's outcome, and would wait for our row while we waited for its lock (ChangeLocks).
    ChangeLocks.lock(c, List.of(r.accountId().value()));
    OffsetDateTime at = time(r.requestedAt());
    run(
        c,
        REQUEST,
        params(
            "id",
            r.commandId(),
            "account",
            r.accountId().value(),
            "action",
            r.action().name(),
            "targets",
            r.targets().size(),
            "key",
            r.idempotencyKey(),
            "by",
            r.requestedBy(),
            "at",
            at,
            "digest",
            r.requestDigest()));
    String[] add = r.flags() == null ? new String[0] : r.flags().add().toArray(String[]::new);
    String[] remove = r.flags() == null ? new String[0] : r.flags().remove().toArray(String[]::new);
    String moveTo = r.destination() == null ? null : r.destination().value();
    try (PreparedStatement s = PENDING_FLAGS.prepare(c)) {
      for (CommandTarget t : r.targets()) {
        PENDING_FLAGS.bind(
            s,
            params(
                "id",
                r.commandId(),
                "account",
                r.accountId().value(),
                "mailbox",
                t.mailbox().value(),
                "uidValidity",
                t.uidValidity().value(),
                "uid",
                t.uid().value(),
                "add",
                add,
                "remove",
                remove,
                "moveTo",
                moveTo,
                "at",
                at));
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  static void applied(Connection c, CommandApplied a) throws SQLException {
    outcome(
        c,
        params(
            "id",
            a.commandId(),
            "account",
            a.accountId().value(),
            "status",
            "applied",
            "reason",
            null,
            "detail",
            null,
            "changed",
            a.changed(),
            "unchanged",
            a.unchanged(),
            "at",
            time(a.observedAt())));
  }

  static void failed(Connection c, CommandFailed f) throws SQLException {
    outcome(
        c,
        params(
            "id",
            f.commandId(),
            "account",
            f.accountId().value(),
            "status",
            "failed",
            "reason",
            f.reason().name(),
            "detail",
            f.detail(),
            "changed",
            f.changed(),
            "unchanged",
            null,
            "at",
            time(f.observedAt())));
  }

  private static void outcome(Connection c, Map<String, Object> values) throws SQLException {
    run(c, OUTCOME, values);
    run(c, CLEAR_PENDING, params("id", values.get("id")));
  }

  private static void run(Connection c, NamedStatement sql, Map<String, Object> values)
      throws SQLException {
    try (PreparedStatement s = sql.prepare(c)) {
      sql.bind(s, values);
      s.executeUpdate();
    }
  }

  private static OffsetDateTime time(Instant instant) {
    return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
