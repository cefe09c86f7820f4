package dev.mailroom.search.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.events.connection.ConnectionEstablished;
import dev.mailroom.events.mail.FlagsChanged;
import dev.mailroom.events.mail.MailboxChanged;
import dev.mailroom.events.mail.MailboxStatus;
import dev.mailroom.events.mail.MessageAdded;
import dev.mailroom.events.mail.MessageExpunged;
import dev.mailroom.events.mail.SyncProgress;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.EmailAddress;
import dev.mailroom.events.model.MailboxPath;
import dev.mailroom.events.model.Uid;
import dev.mailroom.events.model.UidValidity;
import dev.mailroom.events.testing.TestKafka;
import dev.mailroom.search.query.QueryParser;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The local index on the real PostgreSQL, fed through the real Kafka mail topic exactly as the
 * connector publishes: a misspelled word still finds its message (pg_trgm), and flag changes,
 * moves, expunges and a UIDVALIDITY reset are followed.
 */
@QuarkusTest
class LocalIndexTest {

  static final TestKafka kafka = TestKafka.shared();
  static final UidValidity V1 = UidValidity.of(100);

  @Inject LocalSearch search;
  @Inject AgroalDataSource dataSource;

  @ConfigProperty(name = "mailroom.topic.mail")
  String mailTopic;

  @ConfigProperty(name = "mailroom.topic.connection")
  String connectionTopic;

  @Test
  void pgTrgmIsCreatedByTheMigrations() throws Exception {
    try (var c = dataSource.getConnection();
        ResultSet r =
            c.createStatement()
                .executeQuery("select extversion from pg_extension where extname = 'pg_trgm'")) {
      assertThat(r.next()).as("pg_trgm installed by V2__local_index.sql").isTrue();
    }
  }

  @Test
  void aMisspelledWordFindsItsMessageThroughTrigrams() throws Exception {
    AccountId id = AccountId.random();
    kafka.send(
        mailTopic,
        added(
            id,
            "INBOX",
            1,
            "<k1@x>",
            "Travel notes",
            "We saw a kangaroo near the road.",
            List.of()));
    kafka.send(
        mailTopic,
        added(id, "INBOX", 2, "<k2@x>", "Budget", "The quarterly budget is attached.", List.of()));
    await(() -> search.search(id, QueryParser.parse("budget"), 0, 10).size() == 1);

    List<LocalHit> hits = search.search(id, QueryParser.parse("kangarro"), 0, 10);
    assertThat(hits).extracting(LocalHit::uid).containsExactly(1L);
    assertThat(search.search(id, QueryParser.parse("quartely"), 0, 10))
        .extracting(LocalHit::uid)
        .containsExactly(2L);
    // Trigram distance stops at words that merely share letters.
    assertThat(search.search(id, QueryParser.parse("kangaroo budget"), 0, 10)).isEmpty();
    assertThat(search.search(id, QueryParser.parse("from:alice subject:travel"), 0, 10)).hasSize(1);
    assertThat(search.search(id, QueryParser.parse("\"near the road\""), 0, 10))
        .extracting(LocalHit::uid)
        .containsExactly(1L);
    assertThat(search.search(id, QueryParser.parse("\"the road near\""), 0, 10)).isEmpty();
    assertThat(search.search(id, QueryParser.parse("budget -quarterly"), 0, 10)).isEmpty();
    // Another account's mail is never in the answer.
    assertThat(search.search(AccountId.random(), QueryParser.parse("kangaroo"), 0, 10)).isEmpty();
  }

  @Test
  void flagsMovesExpungesAndResetsAreFollowed() throws Exception {
    AccountId id = AccountId.random();
    MailboxPath inbox = MailboxPath.INBOX;
    kafka.send(mailTopic, new SyncProgress(id, inbox, V1, 1, 3, Instant.now()));
    kafka.send(mailTopic, added(id, "INBOX", 1, "<a@x>", "Alpha", "platypus one", List.of()));
    kafka.send(
        mailTopic,
        added(
            id,
            "INBOX",
            2,
            "<b@x>",
            "Beta",
            "platypus two",
            List.of(new MessageAdded.Attachment("2", "a.pdf", "application/pdf", 10))));
    await(() -> search.search(id, QueryParser.parse("platypus"), 0, 10).size() == 2);
    assertThat(search.behind(id, null)).as("first sync still running").isTrue();
    kafka.send(
        mailTopic, new MailboxStatus(id, inbox, "/", null, V1, 3, null, 2, 2, Instant.now()));
    await(() -> !search.behind(id, null));

    assertThat(search.search(id, QueryParser.parse("platypus has:attachment"), 0, 10))
        .extracting(LocalHit::uid)
        .containsExactly(2L);
    assertThat(search.search(id, QueryParser.parse("platypus is:unread"), 0, 10)).hasSize(2);
    kafka.send(
        mailTopic,
        new FlagsChanged(
            id, inbox, V1, Uid.of(1), null, List.of("\\Seen", "\\Flagged"), Instant.now()));
    await(() -> search.search(id, QueryParser.parse("platypus is:unread"), 0, 10).size() == 1);
    assertThat(search.search(id, QueryParser.parse("platypus is:flagged"), 0, 10))
        .extracting(LocalHit::uid)
        .containsExactly(1L);

    // A move: added at the target with the same identity, then expunged at the source.
    kafka.send(mailTopic, added(id, "Archive", 7, "<b@x>", "Beta", "platypus two", List.of()));
    kafka.send(mailTopic, new MessageExpunged(id, inbox, V1, Uid.of(2), Instant.now()));
    await(() -> search.search(id, QueryParser.parse("platypus in:INBOX"), 0, 10).size() == 1);
    assertThat(search.search(id, QueryParser.parse("platypus in:INBOX"), 0, 10))
        .extracting(LocalHit::uid)
        .containsExactly(1L);
    assertThat(search.search(id, QueryParser.parse("platypus in:Archive"), 0, 10)).hasSize(1);
    assertThat(search.search(id, QueryParser.parse("two"), 0, 10))
        .singleElement()
        .satisfies(h -> assertThat(h.mailbox()).isEqualTo("Archive"));

    // UIDVALIDITY changed: every location of the old one is void until the mailbox is synced again.
    kafka.send(
        mailTopic,
        new MailboxChanged(
            id, MailboxChanged.Change.RESET, inbox, null, UidValidity.of(200), V1, Instant.now()));
    await(() -> search.search(id, QueryParser.parse("platypus in:INBOX"), 0, 10).isEmpty());
    assertThat(search.behind(id, "INBOX")).isTrue();

    kafka.send(
        connectionTopic,
        new ConnectionEstablished(id, List.of("IMAP4rev1", "SEARCH=FUZZY"), Instant.now()));
    await(() -> search.capabilities(id).contains("SEARCH=FUZZY"));
  }

  static MessageAdded added(
      AccountId id,
      String mailbox,
      long uid,
      String messageId,
      String subject,
      String text,
      List<MessageAdded.Attachment> attachments) {
    return new MessageAdded(
        id,
        MailboxPath.of(mailbox),
        mailbox.equals("INBOX") ? V1 : UidValidity.of(300),
        Uid.of(uid),
        null,
        "mid:" + messageId,
        messageId,
        subject,
        List.of(new EmailAddress("Alice Example", "alice@example.com")),
        List.of(new EmailAddress(null, "bob@example.com")),
        List.of(),
        Instant.parse("2026-11-01T10:00:00Z"),
        Instant.parse("2026-11-01T10:00:01Z"),
        1000,
        List.of(),
        null,
        List.of(),
        text,
        text,
        null,
        attachments);
  }

  static void await(Callable<Boolean> condition) throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.call()) {
      assertThat(System.nanoTime()).as("condition within 20 s").isLessThan(end);
      Thread.sleep(100);
    }
  }
}
