package dev.mailroom.sync.ingest;

import static dev.mailroom.sync.ingest.NamedStatement.params;
import static dev.mailroom.sync.ingest.Reconciler.bound;
import static dev.mailroom.sync.ingest.Reconciler.json;
import static dev.mailroom.sync.ingest.Reconciler.modSeq;
import static dev.mailroom.sync.ingest.Reconciler.time;

import dev.mailroom.events.MailroomEvent;
import dev.mailroom.events.mail.MessageAdded;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Stores runs of {@code message.added} for {@link Reconciler}, many messages to a statement ({@link
 * LocationSql#ADD}), cut where a message depends on an earlier one of the same statement.
 */
final class AddedMessages {

  /**
   * Messages stored by one statement at most, and their texts' characters: a statement's arrays are
   * built in memory whole, so they stay a few megabytes however large the consumer's batch.
   */
  static final int ROWS_PER_ADD = 500;

  static final int CHARS_PER_ADD = 4_000_000;

  private final int bodyMaxChars;

  AddedMessages(int bodyMaxChars) {
    this.bodyMaxChars = bodyMaxChars;
  }

  private Map<String, Object> added(MessageAdded a) {
    Threading.Keys thread = Threading.keys(a);
    return params(
        "account",
        a.accountId().value(),
        "mailbox",
        a.mailbox().value(),
        "uidValidity",
        a.uidValidity().value(),
        "uid",
        a.uid().value(),
        "identity",
        a.identity(),
        "messageId",
        a.messageId(),
        "subject",
        a.subject(),
        "from",
        json(a.from()),
        "to",
        json(a.to()),
        "cc",
        json(a.cc()),
        "sentAt",
        time(a.sentAt()),
        "size",
        a.size(),
        "inReplyTo",
        a.inReplyTo(),
        "references",
        json(a.references()),
        "threadId",
        thread.threadId(),
        "ownThreadId",
        thread.ownThreadId(),
        "subjectKey",
        thread.subjectKey(),
        "snippet",
        bound(a.snippet(), 512),
        "textBody",
        bound(a.textBody(), bodyMaxChars),
        "htmlBody",
        bound(a.htmlBody(), bodyMaxChars),
        "flags",
        a.flags().toArray(String[]::new),
        "modseq",
        modSeq(a.modSeq()),
        "internalDate",
        time(a.internalDate()));
  }

  /**
   * Stores a run of adds, many to a statement ({@link LocationSql#ADD}), cut where a row depends on
   * an earlier one of the same statement: a second row of one identity or one location, or a row
   * whose thread its subject decides after a row of the same subject. Each statement then ends as
   * applying its rows one by one, in order, would.
   */
  void store(Connection connection, List<? extends MailroomEvent> adds) throws SQLException {
    List<Map<String, Object>> rows = new ArrayList<>();
    List<MessageAdded> chunk = new ArrayList<>();
    Set<Object> seen = new HashSet<>();
    int chars = 0;
    for (MailroomEvent event : adds) {
      MessageAdded a = (MessageAdded) event;
      Map<String, Object> row = added(a);
      UUID account = a.accountId().value();
      Object identity = List.of(account, a.identity());
      Object location = List.of(account, a.mailbox(), a.uidValidity(), a.uid());
      Object subject =
          row.get("subjectKey") == null ? null : List.of(account, row.get("subjectKey"));
      boolean dependent =
          seen.contains(identity)
              || seen.contains(location)
              || (row.get("threadId") == null && seen.contains(subject));
      int length = length(row.get("textBody")) + length(row.get("htmlBody"));
      if (dependent || rows.size() == ROWS_PER_ADD || chars + length > CHARS_PER_ADD) {
        insertAdds(connection, chunk, rows);
        chunk.clear();
        rows.clear();
        seen.clear();
        chars = 0;
      }
      chars += length;
      chunk.add(a);
      rows.add(row);
      seen.add(identity);
      seen.add(location);
      if (subject != null) {
        seen.add(subject);
      }
    }
    insertAdds(connection, chunk, rows);
  }

  /** One {@link LocationSql#ADD}: the adds, their parameters, their attachments. */
  private static void insertAdds(
      Connection connection, List<MessageAdded> adds, List<Map<String, Object>> rows)
      throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    try (PreparedStatement statement = connection.prepareStatement(LocationSql.ADD)) {
      int p = 1;
      for (LocationSql.Column column : LocationSql.ADD_COLUMNS) {
        Object[] values =
            switch (column.arrayType()) {
              case "uuid" -> new UUID[rows.size()];
              case "int8" -> new Long[rows.size()];
              default -> new String[rows.size()];
            };
        for (int r = 0; r < rows.size(); r++) {
          values[r] = arrayValue(rows.get(r).get(column.param()));
        }
        statement.setArray(p++, connection.createArrayOf(column.arrayType(), values));
      }
      List<UUID> accounts = new ArrayList<>();
      List<String> identities = new ArrayList<>();
      List<String> parts = new ArrayList<>();
      List<String> filenames = new ArrayList<>();
      List<String> contentTypes = new ArrayList<>();
      List<Long> sizes = new ArrayList<>();
      for (MessageAdded a : adds) {
        for (MessageAdded.Attachment attachment : a.attachments()) {
          accounts.add(a.accountId().value());
          identities.add(a.identity());
          parts.add(attachment.part());
          filenames.add(attachment.filename());
          contentTypes.add(attachment.contentType());
          sizes.add(attachment.size());
        }
      }
      statement.setArray(p++, connection.createArrayOf("uuid", accounts.toArray()));
      statement.setArray(p++, connection.createArrayOf("text", identities.toArray()));
      statement.setArray(p++, connection.createArrayOf("text", parts.toArray()));
      statement.setArray(p++, connection.createArrayOf("text", filenames.toArray()));
      statement.setArray(p++, connection.createArrayOf("text", contentTypes.toArray()));
      statement.setArray(p++, connection.createArrayOf("int8", sizes.toArray()));
      statement.executeUpdate();
    }
  }

  private static int length(Object text) {
    return text == null ? 0 : ((String) text).length();
  }

  /** A parameter as {@link LocationSql#ADD} takes it in its array. */
  private static Object arrayValue(Object value) {
    return switch (value) {
      case String[] flags -> String.join(" ", flags);
      case OffsetDateTime time -> time.toString();
      case Integer number -> number.longValue();
      case null, default -> value;
    };
  }
}
