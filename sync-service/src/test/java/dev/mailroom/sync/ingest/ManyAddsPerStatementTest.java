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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A run of adds is stored many to a statement ({@link LocationSql#ADD}); where a row depends on an
 * earlier row of the same run, {@link AddedMessages} cuts the statement there. Each case applies
 * its adds once as one batch and once one event per transaction (one row per statement) on the real
 * PostgreSQL, and the two stores, and their change logs, must be the same.
 */
class ManyAddsPerStatementTest {

  private static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");
  private static TestDatabase db;
  private final Reconciler reconciler = new Reconciler(1000);

  @BeforeAll
  static void migrate() {
    db = TestDatabase.migrated("many_adds");
  }

  @AfterAll
  static void close() throws SQLException {
    if (db != null) {
      db.close();
    }
  }

  @Test
  void aReplyFoundBySubjectJoinsTheThreadOfTheMessageBeforeItInTheSameBatch() throws SQLException {
    List<MailroomEvent> adds =
        List.of(
            added("INBOX", 1, 1, "m1", "Quarterly numbers", null, List.of()),
            added("INBOX", 2, 2, "m2", "Lunch", null, List.of()),
            // No In-Reply-To or References: its subject decides, and the message it joins is the
            // one just before it in this batch, not yet in the store when the batch starts.
            added("INBOX", 3, 3, "m3", "Re: Quarterly numbers", null, List.of()));

    List<String> batched = applied(adds, true);
    assertThat(
            db.rows(
                "", "select count(distinct thread_id) from message where identity in ('m1', 'm3')"))
        .containsExactly(": 1");
    assertThat(batched).isEqualTo(applied(adds, false));
  }

  @Test
  void oneMessageInTwoMailboxesOfOneBatchIsOneMessageWithTwoLocations() throws SQLException {
    List<MailroomEvent> adds =
        List.of(
            added("INBOX", 3, 1, "same", "Hello", null, List.of()),
            added("Projekte/Überblick", 3, 1, "same", "Hello", null, List.of("\\Seen")),
            added("INBOX", 2, 2, "other", "Other", null, List.of()));

    List<String> batched = applied(adds, true);
    assertThat(db.count("select count(*) from message")).isEqualTo(2);
    assertThat(db.count("select count(*) from message_location")).isEqualTo(3);
    assertThat(db.count("select count(*) from attachment")).isEqualTo(2);
    assertThat(batched).isEqualTo(applied(adds, false));
  }

  @Test
  void aLocationDeliveredTwiceInOneBatchKeepsTheFlagsOfTheHigherModSeq() throws SQLException {
    List<MailroomEvent> adds =
        List.of(
            added("INBOX", 1, 5, "m1", "Hello", null, List.of("\\Seen")),
            added("INBOX", 2, 6, "m2", "Other", null, List.of()),
            // A redelivery of an older add of the same location, and a newer one.
            added("INBOX", 1, 4, "m1", "Hello", null, List.of()),
            added("INBOX", 1, 7, "m1", "Hello", null, List.of("\\Seen", "\\Flagged")));

    List<String> batched = applied(adds, true);
    assertThat(
            db.rows("", "select array_to_string(flags, ',') from message_location where uid = 1"))
        .containsExactly(": \\Seen,\\Flagged");
    assertThat(batched).isEqualTo(applied(adds, false));
  }

  @Test
  void aLocationNamedAgainUnderAnotherIdentityInOneBatchEndsAsAppliedOneByOne()
      throws SQLException {
    // An identity is a function of the message, but events written by an older connector may
    // have computed it differently: the same location then comes under two identities.
    List<MailroomEvent> adds =
        List.of(
            added("INBOX", 1, 5, "old-identity", "Hello", null, List.of()),
            added("INBOX", 1, 6, "new-identity", "Hello", null, List.of("\\Seen")));

    List<String> batched = applied(adds, true);
    assertThat(db.count("select count(*) from message_location")).isEqualTo(1);
    assertThat(batched).isEqualTo(applied(adds, false));
  }

  @Test
  void aRunLongerThanOneStatementStoresEveryMessageInOrder() throws SQLException {
    List<MailroomEvent> adds = new ArrayList<>();
    int count = AddedMessages.ROWS_PER_ADD * 2 + 7;
    for (int i = 1; i <= count; i++) {
      adds.add(
          added(
              "Éléments envoyés",
              i,
              i,
              "id" + i,
              (i % 5 == 0 ? "Re: " : "") + "Subject " + (i % 11),
              null,
              List.of()));
    }

    List<String> batched = applied(adds, true);
    assertThat(db.count("select count(*) from message_location")).isEqualTo(count);
    assertThat(db.count("select count(*) from attachment")).isEqualTo(count / 3 * 2);
    // The change log lists the adds in the order they came: a stream following it sees the
    // messages in the order the connector published them.
    assertThat(db.count("select count(*) from change_log where kind = 'message.added'"))
        .isEqualTo(count);
    assertThat(
            db.count(
                """
                select count(*) from (select uid, lag(uid) over (order by seq) as before
                                      from change_log where kind = 'message.added') c
                where c.before is not null and c.uid <> c.before + 1"""))
        .isZero();
    assertThat(batched).isEqualTo(applied(adds, false));
  }

  /** The store and its change log after applying the adds as one batch, or one per transaction. */
  private List<String> applied(List<MailroomEvent> adds, boolean oneBatch) throws SQLException {
    db.truncate();
    if (oneBatch) {
      db.applyInOneTransaction(reconciler, adds);
    } else {
      for (MailroomEvent add : adds) {
        db.applyInOneTransaction(reconciler, List.of(add));
      }
    }
    List<String> state = new ArrayList<>(db.snapshot());
    state.addAll(
        db.rows("change", "select kind, mailbox, uid_validity, uid from change_log order by seq"));
    return state;
  }

  private static MessageAdded added(
      String mailbox,
      long uid,
      long modSeq,
      String identity,
      String subject,
      String inReplyTo,
      List<String> flags) {
    return new MessageAdded(
        MailServerModel.ACCOUNT,
        MailboxPath.of(mailbox),
        UidValidity.of(9),
        Uid.of(uid),
        ModSeq.of(modSeq),
        identity,
        "<" + identity + "@example.com>",
        subject,
        List.of(new EmailAddress("Sender", "sender@example.com")),
        List.of(),
        List.of(),
        T0.plusSeconds(uid),
        T0.plusSeconds(uid),
        1000 + uid,
        flags,
        inReplyTo,
        List.of(),
        "snippet of " + identity,
        "body of " + identity,
        null,
        // Every third message by its UID has an attachment, the same for every copy of it.
        uid % 3 == 0
            ? List.of(
                new MessageAdded.Attachment("2", identity + ".pdf", "application/pdf", 4096),
                new MessageAdded.Attachment("3", "Übersicht.xlsx", null, 10))
            : List.of());
  }
}
