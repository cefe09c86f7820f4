package dev.mailroom.sync.ingest;

/**
 * The statements that apply mailbox events: status (counters and checkpoint), sync progress,
 * create, delete, rename and reset. Rules are written next to the statement that applies them;
 * {@link Reconciler} runs them in order.
 */
final class MailboxSql {

  private MailboxSql() {}

  /** The UIDVALIDITY the store holds for a path now, if any. */
  static final NamedStatement CURRENT =
      new NamedStatement(
          "select uid_validity from mailbox where account_id = :account and path = :path for update");

  static final NamedStatement IS_RETIRED =
      new NamedStatement(
          """
      select 1 from retired_mailbox
      where account_id = :account and path = :path and uid_validity = :uidValidity
      """);

  /**
   * Rules: counters and checkpoint follow the latest status; one whose HIGHESTMODSEQ is lower than
   * the stored one at the same UIDVALIDITY is old news and is ignored, and at the same
   * HIGHESTMODSEQ (or without CONDSTORE) the later observation wins, so a duplicate of an older
   * status changes nothing; a status of a retired (path, UIDVALIDITY) changes nothing (the caller
   * checks). A status at another UIDVALIDITY than the stored one replaces it, after the caller has
   * reset the old one.
   */
  static final NamedStatement STATUS =
      new NamedStatement(
          """
      insert into mailbox (account_id, path, delimiter, role, uid_validity, uid_next,
                           highest_modseq, messages, unseen, observed_at)
      values (:account, :path, cast(:delimiter as text), cast(:role as text), :uidValidity,
              :uidNext, cast(:modseq as bigint), :messages, :unseen, :observedAt)
      on conflict (account_id, path) do update set
          delimiter = excluded.delimiter, role = excluded.role,
          uid_validity = excluded.uid_validity, uid_next = excluded.uid_next,
          highest_modseq = excluded.highest_modseq, messages = excluded.messages,
          unseen = excluded.unseen, observed_at = excluded.observed_at
      where mailbox.uid_validity <> excluded.uid_validity
         or coalesce(mailbox.highest_modseq, 0) < coalesce(excluded.highest_modseq, 0)
         or (coalesce(mailbox.highest_modseq, 0) = coalesce(excluded.highest_modseq, 0)
             and mailbox.observed_at <= excluded.observed_at)
      """);

  /**
   * Rule: sync progress only moves forward within one UIDVALIDITY, ordered by (done, total), so a
   * replay of an earlier progress keeps the later figure whatever the order; the first progress of
   * a first sync makes the mailbox row, with the total as its count until the first status says
   * better.
   */
  static final NamedStatement PROGRESS =
      new NamedStatement(
          """
      insert into mailbox (account_id, path, uid_validity, messages, sync_done, sync_total,
                           observed_at)
      values (:account, :path, :uidValidity, :total, :done, :total, :observedAt)
      on conflict (account_id, path) do update set
          sync_done = excluded.sync_done, sync_total = excluded.sync_total
      where mailbox.uid_validity = excluded.uid_validity
        and (excluded.sync_done, excluded.sync_total)
            > (mailbox.sync_done, coalesce(mailbox.sync_total, -1))
      """);

  /** Rule: a created mailbox gets a row unless it has one; its status fills it in. */
  static final NamedStatement CREATE =
      new NamedStatement(
          """
      insert into mailbox (account_id, path, uid_validity, observed_at)
      values (:account, :path, :uidValidity, :observedAt)
      on conflict do nothing
      """);

  static final NamedStatement RETIRE =
      new NamedStatement(
          """
      insert into retired_mailbox (account_id, path, uid_validity)
      values (:account, :path, :uidValidity) on conflict do nothing
      """);

  /**
   * Drops every location of a (path, UIDVALIDITY) and the messages that no other location holds,
   * and its tombstones (the retirement now guards it).
   */
  static final NamedStatement DROP_LOCATIONS =
      new NamedStatement(
          """
      with gone as (
          delete from message_location
          where account_id = :account and mailbox = :path and uid_validity = :uidValidity
          returning message_ref
      ), tombs as (
          delete from expunged_location
          where account_id = :account and mailbox = :path and uid_validity = :uidValidity
      )
      delete from message m
      where m.id in (select message_ref from gone)
        and not exists (select 1 from message_location l
                        where l.message_ref = m.id
                          and not (l.mailbox = :path and l.uid_validity = :uidValidity))
      """);

  static final NamedStatement DELETE_ROW =
      new NamedStatement(
          """
      delete from mailbox
      where account_id = :account and path = :path and uid_validity = :uidValidity
      """);

  /**
   * Rule (reset, RFC 9051 §2.3.1.1): the mailbox row moves to the new UIDVALIDITY with an empty
   * checkpoint, so the fresh sync refills it; only if it still holds the old one, so a replayed
   * reset after the refill changes nothing.
   */
  static final NamedStatement RESET_ROW =
      new NamedStatement(
          """
      update mailbox set uid_validity = :uidValidity, uid_next = 1, highest_modseq = null,
                         sync_done = 0, sync_total = null
      where account_id = :account and path = :path and uid_validity = :previousUidValidity
      """);

  /**
   * Rename, locations: (previous path, UIDVALIDITY) moves to (path, UIDVALIDITY), keeping each
   * message, its flags and MODSEQ. A location the target already holds (a replay) is not moved
   * twice; the leftover is dropped with {@link #DROP_LOCATIONS}.
   */
  static final NamedStatement MOVE_LOCATIONS =
      new NamedStatement(
          """
      update message_location l set mailbox = :path
      where l.account_id = :account and l.mailbox = :previousPath and l.uid_validity = :uidValidity
        and not exists (select 1 from message_location t
                        where t.account_id = :account and t.mailbox = :path
                          and t.uid_validity = :uidValidity and t.uid = l.uid)
      """);

  static final NamedStatement MOVE_TOMBSTONES =
      new NamedStatement(
          """
      insert into expunged_location (account_id, mailbox, uid_validity, uid)
      select account_id, :path, uid_validity, uid from expunged_location
      where account_id = :account and mailbox = :previousPath and uid_validity = :uidValidity
      on conflict do nothing
      """);

  static final NamedStatement MOVE_ROW =
      new NamedStatement(
          """
      update mailbox set path = :path
      where account_id = :account and path = :previousPath and uid_validity = :uidValidity
        and not exists (select 1 from mailbox t where t.account_id = :account and t.path = :path)
      """);

  /** A rename back to a name (A to B, then B to A) makes (A, UIDVALIDITY) live again. */
  static final NamedStatement UNRETIRE =
      new NamedStatement(
          """
      delete from retired_mailbox
      where account_id = :account and path = :path and uid_validity = :uidValidity
      """);
}
