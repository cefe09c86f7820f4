package dev.mailroom.sync.ingest;

import static dev.mailroom.sync.ingest.Reconciler.bound;
import static dev.mailroom.sync.ingest.Reconciler.json;
import static dev.mailroom.sync.ingest.Reconciler.modSeq;

import dev.mailroom.events.MailroomEvent;
import dev.mailroom.events.mail.MessageAdded;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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

  /** An add with the thread keys that decide where it is cut. */
  private record Add(MessageAdded event, Threading.Keys thread) {}

  /**
   * Stores a run of adds, many to a statement, cut where a message depends on an earlier one of the
   * same statement: a second message of one identity or one location, or a message whose thread its
   * subject decides after a message of the same subject. Each statement then ends as applying its
   * messages one by one, in order, would.
   */
  void store(Connection connection, List<? extends MailroomEvent> adds) throws SQLException {
    List<Add> chunk = new ArrayList<>();
    Set<Object> seen = new HashSet<>();
    int chars = 0;
    for (MailroomEvent event : adds) {
      MessageAdded a = (MessageAdded) event;
      Threading.Keys thread = Threading.keys(a);
      UUID account = a.accountId().value();
      Object identity = List.of("identity", account, a.identity());
      Object location = List.of("location", account, a.mailbox(), a.uidValidity(), a.uid());
      Object subject =
          thread.subjectKey() == null ? null : List.of("subject", account, thread.subjectKey());
      boolean dependent =
          seen.contains(identity)
              || seen.contains(location)
              || (thread.threadId() == null && seen.contains(subject));
      int length = length(a.textBody()) + length(a.htmlBody());
      if (dependent || chunk.size() == ROWS_PER_ADD || chars + length > CHARS_PER_ADD) {
        insert(connection, chunk);
        chunk.clear();
        seen.clear();
        chars = 0;
      }
      chars += length;
      chunk.add(new Add(a, thread));
      seen.add(identity);
      seen.add(location);
      if (subject != null) {
        seen.add(subject);
      }
    }
    insert(connection, chunk);
  }

  /** One {@link LocationSql#ADD}: an array per column, in the order of its parameters. */
  private void insert(Connection connection, List<Add> adds) throws SQLException {
    if (adds.isEmpty()) {
      return;
    }
    int n = adds.size();
    UUID[] account = new UUID[n];
    String[] mailbox = new String[n];
    Long[] uidValidity = new Long[n];
    Long[] uid = new Long[n];
    String[] identity = new String[n];
    String[] messageId = new String[n];
    String[] subject = new String[n];
    String[] from = new String[n];
    String[] to = new String[n];
    String[] cc = new String[n];
    String[] sentAt = new String[n];
    Long[] size = new Long[n];
    String[] inReplyTo = new String[n];
    String[] references = new String[n];
    String[] threadId = new String[n];
    String[] ownThreadId = new String[n];
    String[] subjectKey = new String[n];
    String[] snippet = new String[n];
    String[] textBody = new String[n];
    String[] htmlBody = new String[n];
    String[] flags = new String[n];
    Long[] modseq = new Long[n];
    String[] internalDate = new String[n];
    Attachments attachments = new Attachments();
    for (int i = 0; i < n; i++) {
      MessageAdded a = adds.get(i).event();
      Threading.Keys thread = adds.get(i).thread();
      account[i] = a.accountId().value();
      mailbox[i] = a.mailbox().value();
      uidValidity[i] = a.uidValidity().value();
      uid[i] = a.uid().value();
      identity[i] = a.identity();
      messageId[i] = a.messageId();
      subject[i] = a.subject();
      from[i] = json(a.from());
      to[i] = json(a.to());
      cc[i] = json(a.cc());
      sentAt[i] = timestamp(a.sentAt());
      size[i] = a.size();
      inReplyTo[i] = a.inReplyTo();
      references[i] = json(a.references());
      threadId[i] = thread.threadId();
      ownThreadId[i] = thread.ownThreadId();
      subjectKey[i] = thread.subjectKey();
      snippet[i] = bound(a.snippet(), 512);
      textBody[i] = bound(a.textBody(), bodyMaxChars);
      htmlBody[i] = bound(a.htmlBody(), bodyMaxChars);
      // IMAP flags are atoms (RFC 9051 §9: no spaces), so one text per message carries them.
      flags[i] = String.join(" ", a.flags());
      modseq[i] = modSeq(a.modSeq());
      internalDate[i] = timestamp(a.internalDate());
      attachments.add(a);
    }
    try (PreparedStatement statement = connection.prepareStatement(LocationSql.ADD)) {
      Binder bind = new Binder(connection, statement);
      bind.array("uuid", account);
      bind.array("text", mailbox);
      bind.array("int8", uidValidity);
      bind.array("int8", uid);
      bind.array("text", identity);
      bind.array("text", messageId);
      bind.array("text", subject);
      bind.array("text", from);
      bind.array("text", to);
      bind.array("text", cc);
      bind.array("text", sentAt);
      bind.array("int8", size);
      bind.array("text", inReplyTo);
      bind.array("text", references);
      bind.array("text", threadId);
      bind.array("text", ownThreadId);
      bind.array("text", subjectKey);
      bind.array("text", snippet);
      bind.array("text", textBody);
      bind.array("text", htmlBody);
      bind.array("text", flags);
      bind.array("int8", modseq);
      bind.array("text", internalDate);
      bind.array("uuid", attachments.account.toArray());
      bind.array("text", attachments.identity.toArray());
      bind.array("text", attachments.part.toArray());
      bind.array("text", attachments.filename.toArray());
      bind.array("text", attachments.contentType.toArray());
      bind.array("int8", attachments.size.toArray());
      statement.executeUpdate();
    }
  }

  /** The attachments of a statement's messages, a column per list. */
  private static final class Attachments {
    final List<UUID> account = new ArrayList<>();
    final List<String> identity = new ArrayList<>();
    final List<String> part = new ArrayList<>();
    final List<String> filename = new ArrayList<>();
    final List<String> contentType = new ArrayList<>();
    final List<Long> size = new ArrayList<>();

    void add(MessageAdded a) {
      for (MessageAdded.Attachment attachment : a.attachments()) {
        account.add(a.accountId().value());
        identity.add(a.identity());
        part.add(attachment.part());
        filename.add(attachment.filename());
        contentType.add(attachment.contentType());
        size.add(attachment.size());
      }
    }
  }

  /** Binds the statement's array parameters in order. */
  private static final class Binder {
    private final Connection connection;
    private final PreparedStatement statement;
    private int next = 1;

    Binder(Connection connection, PreparedStatement statement) {
      this.connection = connection;
      this.statement = statement;
    }

    void array(String type, Object[] values) throws SQLException {
      statement.setArray(next++, connection.createArrayOf(type, values));
    }
  }

  private static int length(String text) {
    return text == null ? 0 : text.length();
  }

  /** ISO 8601 with its offset, which PostgreSQL reads as a timestamptz; null stays null. */
  private static String timestamp(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
