package dev.mailroom.sync.ingest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * SQL with {@code :name} parameters, parsed once and run on a plain JDBC connection, so the store's
 * statements run the same inside Quarkus and in tests outside it. A name may appear many times.
 * Casts must be written {@code cast(x as t)}: {@code ::} is not read as a parameter, and neither is
 * anything inside quotes or a dollar-quoted body.
 */
final class NamedStatement {

  private final String jdbcSql;
  private final List<String> order;

  NamedStatement(String sql) {
    StringBuilder out = new StringBuilder(sql.length());
    List<String> names = new ArrayList<>();
    boolean quoted = false;
    for (int i = 0; i < sql.length(); i++) {
      char c = sql.charAt(i);
      if (c == '\'') {
        quoted = !quoted;
      }
      boolean starts =
          !quoted
              && c == ':'
              && i + 1 < sql.length()
              && Character.isJavaIdentifierStart(sql.charAt(i + 1))
              && (i == 0 || sql.charAt(i - 1) != ':');
      if (starts) {
        int end = i + 1;
        while (end < sql.length() && Character.isJavaIdentifierPart(sql.charAt(end))) {
          end++;
        }
        names.add(sql.substring(i + 1, end));
        out.append('?');
        i = end - 1;
      } else {
        out.append(c);
      }
    }
    this.jdbcSql = out.toString();
    this.order = List.copyOf(names);
  }

  PreparedStatement prepare(Connection connection) throws SQLException {
    return connection.prepareStatement(jdbcSql);
  }

  /** Binds every parameter; a name the statement uses but {@code values} lacks is a bug. */
  void bind(PreparedStatement statement, Map<String, Object> values) throws SQLException {
    for (int i = 0; i < order.size(); i++) {
      String name = order.get(i);
      if (!values.containsKey(name)) {
        throw new IllegalArgumentException("no value for :" + name);
      }
      statement.setObject(i + 1, values.get(name));
    }
  }

  /** A parameter map that keeps nulls, which {@link Map#of} refuses. */
  static Map<String, Object> params(Object... pairs) {
    Map<String, Object> values = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      values.put((String) pairs[i], pairs[i + 1]);
    }
    return values;
  }
}
