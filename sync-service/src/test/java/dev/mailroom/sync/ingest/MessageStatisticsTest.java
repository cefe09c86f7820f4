package dev.mailroom.sync.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.events.MailroomEvent;
import dev.mailroom.events.mail.MessageAdded;
import dev.mailroom.events.model.EmailAddress;
import dev.mailroom.events.model.MailboxPath;
import dev.mailroom.events.model.ModSeq;
import dev.mailroom.events.model.Uid;
import dev.mailroom.events.model.UidValidity;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What ANALYZE and TOAST do with the message table (V10), on the real PostgreSQL: statistics for
 * the columns that queries filter, join and sort on, none for the texts and lists that are only
 * read back, and the lists compressed with LZ4 where the server has it.
 */
class MessageStatisticsTest {

  private static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");
  private static TestDatabase db;

  @BeforeAll
  static void migrate() {
    db = TestDatabase.migrated("message_statistics");
  }

  @AfterAll
  static void close() throws SQLException {
    if (db != null) {
      db.close();
    }
  }

  @Test
  void analyzeKeepsStatisticsForTheLookupColumnsAndNoneForTextsAndLists() throws SQLException {
    List<MailroomEvent> adds = new ArrayList<>();
    for (int uid = 1; uid <= 300; uid++) {
      adds.add(added(uid));
    }
    db.applyInOneTransaction(new Reconciler(100_000), adds);
    try (Statement s = db.connection().createStatement()) {
      s.execute("analyze message");
    }

    List<String> analyzed =
        db
            .rows(
                "",
                """
                select attname from pg_stats
                where schemaname = current_schema() and tablename = 'message' order by 1""")
            .stream()
            .map(row -> row.substring(2))
            .toList();
    assertThat(analyzed)
        .contains("account_id", "identity", "subject_key", "thread_id", "sent_at", "id")
        .doesNotContain(
            "text_body",
            "html_body",
            "snippet",
            "from_json",
            "to_json",
            "cc_json",
            "references_json");
  }

  @Test
  void listsAndSnippetAreCompressedLikeTheTextsWhereTheServerHasLz4() throws SQLException {
    boolean lz4 =
        db.count(
                """
                select count(*) from pg_settings
                where name = 'default_toast_compression' and 'lz4' = any(enumvals)""")
            == 1;
    List<String> compression =
        db.rows(
            "",
            """
            select attname, attcompression from pg_attribute
            where attrelid = 'message'::regclass
              and attname in ('text_body', 'html_body', 'snippet', 'from_json', 'to_json',
                              'cc_json', 'references_json')
            order by 1""");
    String expected = lz4 ? "l" : "";
    assertThat(compression)
        .containsExactly(
            ": cc_json | " + expected,
            ": from_json | " + expected,
            ": html_body | " + expected,
            ": references_json | " + expected,
            ": snippet | " + expected,
            ": text_body | " + expected,
            ": to_json | " + expected);
  }

  /** A message to a dozen recipients with a text of a few kilobytes, as a first sync stores. */
  private static MessageAdded added(int uid) {
    List<EmailAddress> to = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      to.add(new EmailAddress("Empfänger " + i, "person" + i + "-" + uid + "@example.com"));
    }
    String text = ("Zeile " + uid + " des Berichts über das Quartal. ").repeat(80);
    return new MessageAdded(
        MailServerModel.ACCOUNT,
        MailboxPath.of(uid % 2 == 0 ? "INBOX" : "Projekte/Überblick"),
        UidValidity.of(9),
        Uid.of(uid),
        ModSeq.of(uid),
        "identity-" + uid,
        "<m" + uid + "@example.com>",
        "Bericht " + (uid % 40),
        List.of(new EmailAddress("Absender", "sender@example.com")),
        to,
        List.of(),
        T0.plusSeconds(uid),
        T0.plusSeconds(uid),
        text.length(),
        List.of(),
        null,
        List.of("<m" + (uid - 1) + "@example.com>"),
        text.substring(0, 200),
        text,
        "<p>" + text + "</p>",
        List.of(),
        List.of());
  }
}
