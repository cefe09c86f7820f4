package dev.mailroom.sync.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.mailroom.events.EventCodec;
import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.events.mail.MailboxStatus;
import dev.mailroom.events.mail.MessageAdded;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.ModSeq;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * Applies events to the store. Every write here is an idempotent upsert, which is what makes
 * at-least-once delivery safe: the rules are written next to the statement that applies them.
 * Callers hold the transaction; the Kafka offset is committed only after it commits.
 */
@ApplicationScoped
public class MailStore {

  private final EntityManager em;

  MailStore(EntityManager em) {
    this.em = em;
  }

  /**
   * Rule: the latest definition wins, by {@code definedAt}. A replayed older definition (the
   * accounts topic is read from the start after a rebalance) does not roll the account back.
   */
  public void apply(AccountDefined event) {
    em.createNativeQuery(
            """
            insert into account (id, owner_id, display_name, email, imap_host, imap_port,
                                 imap_security, imap_username, defined_at)
            values (:id, :owner, :name, :email, :host, :port, :security, :username, :definedAt)
            on conflict (id) do update set
                owner_id = excluded.owner_id, display_name = excluded.display_name,
                email = excluded.email, imap_host = excluded.imap_host,
                imap_port = excluded.imap_port, imap_security = excluded.imap_security,
                imap_username = excluded.imap_username, defined_at = excluded.defined_at
            where account.defined_at <= excluded.defined_at
            """)
        .setParameter("id", event.accountId().value())
        .setParameter("owner", event.ownerId())
        .setParameter("name", event.displayName())
        .setParameter("email", event.email())
        .setParameter("host", event.imap().host())
        .setParameter("port", event.imap().port())
        .setParameter("security", event.imap().security().wireName())
        .setParameter("username", event.imap().username())
        .setParameter("definedAt", Timestamp.from(event.definedAt()))
        .executeUpdate();
  }

  /** Rule: a tombstone on the accounts topic removes the account and everything it held. */
  public void deleteAccount(AccountId accountId) {
    for (String table : new String[] {"message_location", "message", "mailbox", "account"}) {
      String column = table.equals("account") ? "id" : "account_id";
      em.createNativeQuery("delete from " + table + " where " + column + " = :id")
          .setParameter("id", accountId.value())
          .executeUpdate();
    }
  }

  /**
   * Rules: the identity row is created once and never duplicated (unique account + identity); the
   * location is created once per (mailbox, UIDVALIDITY, UID). A duplicate leaves both as they
   * are: flags at a location only move forward through flag events, never back through a replayed
   * "added".
   */
  public void apply(MessageAdded event) {
    Object messageRef =
        em.createNativeQuery(
                """
                insert into message (account_id, identity, message_id, subject, from_json, to_json,
                                     cc_json, sent_at, size, in_reply_to, references_json)
                values (:account, :identity, :messageId, :subject, cast(:from as jsonb),
                        cast(:to as jsonb), cast(:cc as jsonb), :sentAt, :size, :inReplyTo,
                        cast(:references as jsonb))
                on conflict (account_id, identity) do update set identity = excluded.identity
                returning id
                """)
            .setParameter("account", event.accountId().value())
            .setParameter("identity", event.identity())
            .setParameter("messageId", event.messageId())
            .setParameter("subject", event.subject())
            .setParameter("from", json(event.from()))
            .setParameter("to", json(event.to()))
            .setParameter("cc", json(event.cc()))
            .setParameter("sentAt", timestamp(event.sentAt()))
            .setParameter("size", event.size())
            .setParameter("inReplyTo", event.inReplyTo())
            .setParameter("references", json(event.references()))
            .getSingleResult();

    em.createNativeQuery(
            """
            insert into message_location (account_id, mailbox, uid_validity, uid, message_ref,
                                          flags, modseq, internal_date)
            values (:account, :mailbox, :uidValidity, :uid, :ref, cast(:flags as text[]),
                    :modseq, :internalDate)
            on conflict do nothing
            """)
        .setParameter("account", event.accountId().value())
        .setParameter("mailbox", event.mailbox().value())
        .setParameter("uidValidity", event.uidValidity().value())
        .setParameter("uid", event.uid().value())
        .setParameter("ref", ((Number) messageRef).longValue())
        .setParameter("flags", textArray(event.flags()))
        .setParameter("modseq", event.modSeq() == null ? null : event.modSeq().value())
        .setParameter("internalDate", Timestamp.from(event.internalDate()))
        .executeUpdate();
  }

  /**
   * Rules: a mailbox's counters and checkpoint follow the latest status. Within one account the
   * connector emits statuses in order on one partition, so the last applied is the newest; a
   * status whose HIGHESTMODSEQ is lower than the stored one for the same UIDVALIDITY is old news
   * and is ignored.
   */
  public void apply(MailboxStatus event) {
    em.createNativeQuery(
            """
            insert into mailbox (account_id, path, delimiter, role, uid_validity, uid_next,
                                 highest_modseq, messages, unseen, observed_at)
            values (:account, :path, :delimiter, :role, :uidValidity, :uidNext, :modseq,
                    :messages, :unseen, :observedAt)
            on conflict (account_id, path) do update set
                delimiter = excluded.delimiter, role = excluded.role,
                uid_validity = excluded.uid_validity, uid_next = excluded.uid_next,
                highest_modseq = excluded.highest_modseq, messages = excluded.messages,
                unseen = excluded.unseen, observed_at = excluded.observed_at
            where mailbox.uid_validity <> excluded.uid_validity
               or coalesce(mailbox.highest_modseq, 0) <= coalesce(excluded.highest_modseq, 0)
            """)
        .setParameter("account", event.accountId().value())
        .setParameter("path", event.path().value())
        .setParameter("delimiter", event.delimiter())
        .setParameter("role", event.role())
        .setParameter("uidValidity", event.uidValidity().value())
        .setParameter("uidNext", event.uidNext())
        .setParameter("modseq", modSeq(event.highestModSeq()))
        .setParameter("messages", event.messages())
        .setParameter("unseen", event.unseen())
        .setParameter("observedAt", Timestamp.from(event.observedAt()))
        .executeUpdate();
  }

  private static Long modSeq(ModSeq value) {
    return value == null ? null : value.value();
  }

  private static Timestamp timestamp(Instant instant) {
    return instant == null ? null : Timestamp.from(instant);
  }

  private static String json(Object value) {
    try {
      return EventCodec.mapper().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A PostgreSQL array literal; each flag quoted, since keywords may hold any atom character. */
  private static String textArray(java.util.List<String> values) {
    StringBuilder out = new StringBuilder("{");
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append('"').append(values.get(i).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
    }
    return out.append('}').toString();
  }
}
