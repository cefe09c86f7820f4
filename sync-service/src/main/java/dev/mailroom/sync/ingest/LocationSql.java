package dev.mailroom.sync.ingest;

/**
 * The statements that apply message events to a location (mailbox, UIDVALIDITY, UID). Each rule of
 * reconciliation sits next to the statement that applies it; {@link Reconciler} runs them.
 */
final class LocationSql {

  private LocationSql() {}

  /**
   * {@code message.added} for many messages in one statement: each parameter is an array with a
   * value per message, in the order of the input's columns below (timestamps and JSON as text,
   * flags as one space-separated text; {@link AddedMessages} binds them). One statement per message
   * cost PostgreSQL a third more CPU in a first sync, most of it in starting and planning
   * statements; a statement with a row per message written out costs as much again in parsing and
   * planning its text, so the arrays keep one text, prepared once.
   *
   * <ul>
   *   <li>Rule: a location whose (mailbox, UIDVALIDITY) is retired (reset, deleted, renamed away)
   *       or that was expunged is never created again: an "added" replayed after its expunge (or
   *       after the reset that voided it) leaves no ghost, and no message row either.
   *   <li>Rule: the message identity row is made once per (account, identity); a second location of
   *       the same identity (a move's target, a copy) joins it. The envelope of the first add
   *       stays; bodies only fill in what was missing, so any order of adds ends the same.
   *   <li>Rule: a replayed "added" never rolls flags back. The location's flags change only when
   *       the event's MODSEQ is higher than the stored one (RFC 7162 §3.1.4: MODSEQ only grows), so
   *       a later "flags-changed" (higher MODSEQ) wins over an older "added" whatever the delivery
   *       order. Without CONDSTORE (null MODSEQ) a duplicate add changes nothing.
   * </ul>
   *
   * <p>The last six parameters are the attachments' metadata, a value per attachment: account,
   * identity, part, file name, content type, size. They join their message in the statement (an
   * attachment of an add that was refused is not stored; a duplicate changes nothing): a lookup of
   * each message by identity, planned while the table was still small, once read the account's
   * every message per attachment.
   *
   * <p>Rows are inserted in their order, so message ids and change-log entries come out as one
   * statement per message would make them. That is also their outcome only when no row depends on
   * another of the same statement, which {@link AddedMessages} ensures by where it cuts: no two
   * rows of one identity or of one location (an {@code on conflict do update} may touch a row once
   * per statement), and no row whose thread its subject decides after a row of the same subject
   * (the statement's lookup does not see the rows it inserts itself).
   */
  static final String ADD =
      """
      with input as (
          select * from unnest(cast(? as uuid[]), cast(? as text[]), cast(? as bigint[]),
                               cast(? as bigint[]), cast(? as text[]), cast(? as text[]),
                               cast(? as text[]), cast(? as text[]), cast(? as text[]),
                               cast(? as text[]), cast(? as text[]), cast(? as bigint[]),
                               cast(? as text[]), cast(? as text[]), cast(? as text[]),
                               cast(? as text[]), cast(? as text[]), cast(? as text[]),
                               cast(? as text[]), cast(? as text[]), cast(? as text[]),
                               cast(? as bigint[]), cast(? as text[]))
              with ordinality as i(account_id, mailbox, uid_validity, uid, identity, message_id,
                                   subject, from_json, to_json, cc_json, sent_at, size,
                                   in_reply_to, references_json, thread_id, own_thread_id,
                                   subject_key, snippet, text_body, html_body, flags, modseq,
                                   internal_date, ord)
      ), live as (
          select i.* from input i
          where not exists (select 1 from retired_mailbox r
                            where r.account_id = i.account_id and r.path = i.mailbox
                              and r.uid_validity = i.uid_validity)
            and not exists (select 1 from expunged_location x
                            where x.account_id = i.account_id and x.mailbox = i.mailbox
                              and x.uid_validity = i.uid_validity and x.uid = i.uid)
      ), msg as (
          insert into message (account_id, identity, message_id, subject, from_json, to_json,
                               cc_json, sent_at, size, in_reply_to, references_json, thread_id,
                               subject_key, snippet, text_body, html_body)
          select l.account_id, l.identity, l.message_id, l.subject, cast(l.from_json as jsonb),
                 cast(l.to_json as jsonb), cast(l.cc_json as jsonb),
                 cast(l.sent_at as timestamptz), l.size, l.in_reply_to,
                 cast(l.references_json as jsonb),
                 coalesce(l.thread_id,
                          (select m.thread_id from message m
                           where m.account_id = l.account_id and m.subject_key = l.subject_key
                           order by m.id desc limit 1),
                          l.own_thread_id),
                 l.subject_key, l.snippet, l.text_body, l.html_body
          from live l
          order by l.ord
          on conflict (account_id, identity) do update set
              snippet = coalesce(message.snippet, excluded.snippet),
              text_body = coalesce(message.text_body, excluded.text_body),
              html_body = coalesce(message.html_body, excluded.html_body)
          returning id, account_id, identity
      ), attachments as (
          insert into attachment (message_ref, part, filename, content_type, size)
          select msg.id, a.part, a.filename, a.content_type, a.size
          from unnest(cast(? as uuid[]), cast(? as text[]), cast(? as text[]), cast(? as text[]),
                      cast(? as text[]), cast(? as bigint[]))
              as a(account_id, identity, part, filename, content_type, size)
          join msg on msg.account_id = a.account_id and msg.identity = a.identity
          on conflict do nothing
      )
      insert into message_location (account_id, mailbox, uid_validity, uid, message_ref, flags,
                                    modseq, internal_date)
      select l.account_id, l.mailbox, l.uid_validity, l.uid, msg.id,
             string_to_array(l.flags, ' '), l.modseq, cast(l.internal_date as timestamptz)
      from live l join msg on msg.account_id = l.account_id and msg.identity = l.identity
      order by l.ord
      on conflict (account_id, mailbox, uid_validity, uid) do update set
          flags = excluded.flags, modseq = excluded.modseq
      where excluded.modseq > message_location.modseq
      """;

  /**
   * {@code message.flags-changed} carries the whole flag set. Rule: a change older (by MODSEQ) than
   * what is stored is ignored (RFC 7162 §3.1.4, MODSEQ only grows for a message), so a replay never
   * rolls flags back. Without CONDSTORE (null MODSEQ) the latest in the partition wins: a replay
   * rolls back for a moment, and the replayed later events restore it. A change for a location that
   * does not exist (expunged, retired) changes nothing.
   */
  static final NamedStatement FLAGS =
      new NamedStatement(
          """
      update message_location set flags = :flags, modseq = coalesce(cast(:modseq as bigint), modseq)
      where account_id = :account and mailbox = :mailbox and uid_validity = :uidValidity
        and uid = :uid
        and (cast(:modseq as bigint) is null or modseq is null or modseq < cast(:modseq as bigint))
      """);

  /**
   * {@code message.expunged}. Rules: the location goes and a tombstone stays (UIDs are not reused,
   * RFC 9051 §2.3.1.1), so an "added" for it replayed later is refused; the message identity stays
   * while another location holds it (a move: added at the target came first), and goes with its
   * last location so counts are right. Expunging what is already gone changes nothing.
   */
  static final NamedStatement EXPUNGE =
      new NamedStatement(
          """
      with tomb as (
          insert into expunged_location (account_id, mailbox, uid_validity, uid)
          select :account, :mailbox, :uidValidity, :uid
          where not exists (select 1 from retired_mailbox r
                            where r.account_id = :account and r.path = :mailbox
                              and r.uid_validity = :uidValidity)
          on conflict do nothing
      ), gone as (
          delete from message_location
          where account_id = :account and mailbox = :mailbox and uid_validity = :uidValidity
            and uid = :uid
          returning message_ref
      )
      delete from message m using gone
      where m.id = gone.message_ref
        and not exists (select 1 from message_location l
                        where l.message_ref = gone.message_ref
                          and not (l.mailbox = :mailbox and l.uid_validity = :uidValidity
                                   and l.uid = :uid))
      """);
}
