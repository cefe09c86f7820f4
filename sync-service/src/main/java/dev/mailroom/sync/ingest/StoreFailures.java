package dev.mailroom.sync.ingest;

import java.sql.SQLException;

/** Tells a database that is away (retry later) from an event it refuses (dead-letter it). */
final class StoreFailures {

  private StoreFailures() {}

  /**
   * SQLSTATE classes 08 (connection exception), 40 (transaction rollback: serialization failure,
   * deadlock), 53 (insufficient resources) and 57 (operator intervention) pass with time.
   */
  static boolean isTransient(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        String sqlClass = sql.getSQLState().substring(0, 2);
        return switch (sqlClass) {
          case "08", "40", "53", "57" -> true;
          default -> false;
        };
      }
      if (t instanceof java.net.ConnectException) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  static String reason(Throwable failure) {
    Throwable deepest = failure;
    for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
      deepest = t;
    }
    String message = String.valueOf(deepest.getMessage());
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
