package dev.mailroom.sync.ingest;

import dev.mailroom.events.MailroomEvent;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;

/**
 * The store's real schema (the service's own migrations) in a schema of its own on the test
 * PostgreSQL, for tests that drive {@link Reconciler} on a plain JDBC connection, outside Quarkus.
 * Kept apart from the schema the {@code @QuarkusTest}s clean and migrate.
 */
final class TestDatabase implements AutoCloseable {

  static final String BASE_URL =
      System.getenv().getOrDefault("MAILROOM_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:16432/");

  private final String url;
  private final Connection connection;

  private TestDatabase(String schema) throws SQLException {
    this.url = BASE_URL + "mailroom_sync_test?currentSchema=" + schema;
    Flyway flyway =
        Flyway.configure()
            .dataSource(url, "mailroom", "mailroom")
            .schemas(schema)
            .locations("classpath:db/migration")
            .cleanDisabled(false)
            .load();
    flyway.clean();
    flyway.migrate();
    this.connection = connect();
  }

  /** A freshly migrated, empty schema. */
  static TestDatabase migrated(String schema) {
    try {
      return new TestDatabase(schema);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  Connection connect() throws SQLException {
    return DriverManager.getConnection(url, "mailroom", "mailroom");
  }

  Connection connection() {
    return connection;
  }

  void truncate() throws SQLException {
    try (Statement s = connection.createStatement()) {
      // DELETE beats TRUNCATE on a handful of rows: no lock on every table, no new files.
      for (String table :
          List.of(
              "attachment",
              "message_location",
              "message",
              "expunged_message", // after message: its delete writes the tombstones
              "mailbox",
              "retired_mailbox",
              "expunged_location",
              "change_log",
              "account")) {
        s.addBatch("delete from " + table);
      }
      s.executeBatch();
    }
  }

  /** Applies the events as one transaction, as the consumer applies one Kafka batch. */
  void applyInOneTransaction(Reconciler reconciler, List<? extends MailroomEvent> events)
      throws SQLException {
    connection.setAutoCommit(false);
    try {
      reconciler.apply(connection, events);
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      try {
        connection.rollback();
      } catch (SQLException rollback) {
        e.addSuppressed(rollback);
      }
      throw e;
    } finally {
      connection.setAutoCommit(true);
    }
  }

  /** Every row that is the store's state, without generated ids, sorted. */
  List<String> snapshot() throws SQLException {
    List<String> rows = new ArrayList<>();
    rows.addAll(
        rows(
            "mailbox",
            """
        select account_id, path, delimiter, role, uid_validity, uid_next, highest_modseq, messages, unseen,
               sync_done, sync_total, observed_at from mailbox order by path"""));
    rows.addAll(
        rows(
            "location",
            """
        select l.account_id, l.mailbox, l.uid_validity, l.uid, m.identity, l.flags, l.modseq, l.internal_date
        from message_location l join message m on m.id = l.message_ref
        order by l.mailbox, l.uid_validity, l.uid"""));
    rows.addAll(
        rows(
            "message",
            """
        select identity, message_id, subject, thread_id, subject_key, sent_at, size, text_body
        from message order by identity"""));
    rows.addAll(
        rows(
            "attachment",
            """
        select m.identity, a.part, a.filename, a.size from attachment a
        join message m on m.id = a.message_ref order by 1, 2"""));
    rows.addAll(rows("retired", "select path, uid_validity from retired_mailbox order by 1, 2"));
    rows.addAll(
        rows(
            "tombstone",
            "select mailbox, uid_validity, uid from expunged_location order by 1, 2, 3"));
    java.util.Collections.sort(rows);
    return rows;
  }

  List<String> rows(String label, String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder row = new StringBuilder(label).append(':');
        for (int i = 1; i <= columns; i++) {
          Object value = rs.getObject(i);
          if (value instanceof java.sql.Array array) {
            String[] flags = (String[]) array.getArray();
            java.util.Arrays.sort(flags);
            value = String.join(" ", flags);
          }
          row.append(i > 1 ? " | " : " ").append(value);
        }
        rows.add(row.toString());
      }
    }
    return rows;
  }

  long count(String sql) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
