package dev.mailroom.sync.change;

import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.hibernate.Session;

/**
 * Takes the change-log locks of the accounts a transaction is about to change, all of them, before
 * its first write.
 *
 * <p>The V6 trigger takes an account's transaction-level advisory lock before each change number,
 * so one account's numbers commit in their order. Taken there, the locks come in the order of the
 * writes, and only after a row was written: a mail batch that changes accounts A then B and one
 * that changes B then A wait for each other forever (PostgreSQL breaks it with SQLSTATE 40P01), as
 * do a batch holding A that writes a command row another transaction inserted and is now waiting
 * for A with. Every writer of changes calls this first instead: locks in one order (ascending key)
 * and no row held while waiting for one, so no cycle can form. The trigger's own call then finds
 * the lock held and does not wait (advisory locks stack within a transaction).
 */
public final class ChangeLocks {

  /**
   * The key is the trigger's ({@code hashtextextended(account_id::text, 17)}); the sorted subquery
   * is not flattened (DISTINCT), so its scan hands the keys to the lock calls in ascending order.
   */
  private static final String LOCK_IN_KEY_ORDER =
      """
      select pg_advisory_xact_lock(k) from (
          select distinct hashtextextended(cast(a as text), 17) as k
          from unnest(cast(? as uuid[])) as a
          order by k) ascending_keys
      """;

  private ChangeLocks() {}

  /**
   * Locks the accounts' change logs until the transaction on {@code connection} ends, waiting for
   * writers that hold any of them.
   *
   * @throws IllegalStateException outside a transaction, where the locks would end with the
   *     statement
   */
  public static void lock(Connection connection, Collection<UUID> accounts) throws SQLException {
    if (accounts.isEmpty()) {
      return;
    }
    if (connection.getAutoCommit()) {
      throw new IllegalStateException("change-log locks outside a transaction end at once");
    }
    try (PreparedStatement s = connection.prepareStatement(LOCK_IN_KEY_ORDER)) {
      s.setArray(1, connection.createArrayOf("uuid", accounts.toArray()));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          // Each row is one lock taken; reading them all makes sure every one was.
        }
      }
    }
  }

  /** {@link #lock(Connection, Collection)} for one account, on the JPA transaction's connection. */
  public static void lock(EntityManager em, UUID account) {
    em.unwrap(Session.class).doWork(connection -> lock(connection, List.of(account)));
  }
}
