package dev.mailroom.sync.ingest;

/**
 * The statements that apply message events to a location (mailbox, UIDVALIDITY, UID). Each rule of
 * reconciliation sits next to the statement that applies it; {@link Reconciler} runs them.
 */
final class LocationSql {

  private LocationSql() {}

  /**
   * {@code message.added}, in one statement so a batch of them is one round trip.
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
   */
  static final NamedStatement ADD =
      new NamedStatement(
          """
      with live as (
          select where not exists (select 1 from retired_mailbox r
                                   where r.account_id = :account and r.path = :mailbox
                                     and r.uid_validity = :uidValidity)
                   and not exists (select 1 from expunged_location x
                                   where x.account_id = :account and x.mailbox = :mailbox
                                     and x.uid_validity = :uidValidity and x.uid = :uid)
      ), msg as (
          insert into message (account_id, identity, message_id, subject, from_json, to_json,
                               cc_json, sent_at, size, in_reply_to, references_json, thread_id,
                               subject_key, snippet, text_body, html_body)
          select :account, :identity, cast(:messageId as text), cast(:subject as text),
                 cast(:from as jsonb), cast(:to as jsonb), cast(:cc as jsonb),
                 cast(:sentAt as timestamptz), :size, cast(:inReplyTo as text),
                 cast(:references as jsonb),
                 coalesce(cast(:threadId as text),
                          (select m.thread_id from message m
                           where m.account_id = :account and m.subject_key = cast(:subjectKey as text)
                           order by m.id desc limit 1),
                          cast(:ownThreadId as text)),
                 cast(:subjectKey as text), cast(:snippet as text), cast(:textBody as text),
                 cast(:htmlBody as text)
          from live
          on conflict (account_id, identity) do update set
              snippet = coalesce(message.snippet, excluded.snippet),
              text_body = coalesce(message.text_body, excluded.text_body),
              html_body = coalesce(message.html_body, excluded.html_body)
          returning id
      )
      insert into message_location (account_id, mailbox, uid_validity, uid, message_ref, flags,
                                    modseq, internal_date)
      select :account, :mailbox, :uidValidity, :uid, msg.id, :flags, cast(:modseq as bigint),
             cast(:internalDate as timestamptz)
      from msg
      on conflict (account_id, mailbox, uid_validity, uid) do update set
          flags = excluded.flags, modseq = excluded.modseq
      where excluded.modseq > message_location.modseq
      """);

  /** Attachment metadata of a message that exists; a duplicate changes nothing. */
  static final NamedStatement ATTACHMENT =
      new NamedStatement(
          """
      insert into attachment (message_ref, part, filename, content_type, size)
      select m.id, :part, cast(:filename as text), cast(:contentType as text), :size
      from message m where m.account_id = :account and m.identity = :identity
      on conflict do nothing
      """);

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
