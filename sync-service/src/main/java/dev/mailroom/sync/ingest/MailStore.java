package dev.mailroom.sync.ingest;

import dev.mailroom.events.MailroomEvent;
import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.sync.change.ChangeLocks;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;

/**
 * Applies events to the store. Every write is idempotent and refuses old news, which is what makes
 * at-least-once delivery safe: mail events go through {@link Reconciler}, whose rules are written
 * next to the statements that apply them. Callers hold the transaction; the Kafka offset is
 * committed only after it commits.
 */
@ApplicationScoped
public class MailStore {

  private final EntityManager em;
  private final AgroalDataSource dataSource;
  private final Reconciler reconciler;

  MailStore(EntityManager em, AgroalDataSource dataSource, StoreConfig config) {
    this.em = em;
    this.dataSource = dataSource;
    this.reconciler = new Reconciler(config.bodyMaxChars());
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
    // The account's change-log lock before the first delete: a mail batch holding it would
    // otherwise wait for the rows this deletion took while it waited for the lock (ChangeLocks).
    ChangeLocks.lock(em, accountId.value());
    em.createNativeQuery(
            "delete from attachment a using message m where m.id = a.message_ref and m.account_id = :id")
        .setParameter("id", accountId.value())
        .executeUpdate();
    int accounts = 0;
    for (String table :
        new String[] {
          "message_location",
          "message",
          "expunged_message",
          "mailbox",
          "retired_mailbox",
          "expunged_location",
          "change_log",
          "pending_flags",
          "command",
          "role_mapping",
          // Its outbox too: the messages it queued, MIME and attachments included.
          "outbox_message",
          "account"
        }) {
      String column = table.equals("account") ? "id" : "account_id";
      // The account.deleted entry stays (one row per deleted account): a replayed tombstone must
      // not erase the end of the log that a stream resuming later still has to see.
      String keep = table.equals("change_log") ? " and kind <> 'account.deleted'" : "";
      accounts =
          em.createNativeQuery("delete from " + table + " where " + column + " = :id" + keep)
              .setParameter("id", accountId.value())
              .executeUpdate();
    }
    if (accounts > 0) {
      // The deletion is the account's last change: a live stream following its change log learns
      // of it in the same way as of any other (GET /api/events sends account.deleted). Only when
      // the account existed, so a replayed tombstone adds nothing.
      em.createNativeQuery(
              "insert into change_log (account_id, kind) values (:id, 'account.deleted')")
          .setParameter("id", accountId.value())
          .executeUpdate();
    }
  }

  /**
   * Applies mail events in order, in the caller's transaction: the connection the data source hands
   * out here is enlisted in it, so the offsets are still committed only after it commits.
   */
  public void apply(List<? extends MailroomEvent> events) {
    try (Connection connection = dataSource.getConnection()) {
      reconciler.apply(connection, events);
    } catch (SQLException e) {
      throw new StoreException(e);
    }
  }

  /** Records an owner's command as pending, with the flags it asks for (see {@link CommandSql}). */
  public void record(dev.mailroom.events.command.CommandRequested command) {
    try (Connection connection = dataSource.getConnection()) {
      CommandSql.request(connection, command);
    } catch (SQLException e) {
      throw new StoreException(e);
    }
  }

  /** A database failure, unchecked so it rolls the transaction back; the cause says which. */
  public static final class StoreException extends RuntimeException {
    StoreException(SQLException cause) {
      super(cause.getMessage(), cause);
    }
  }
}
