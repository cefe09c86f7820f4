package dev.mailroom.sync;

import static dev.mailroom.sync.StoreFixtures.addedAt;
import static dev.mailroom.sync.StoreFixtures.expunged;
import static dev.mailroom.sync.StoreFixtures.flags;
import static dev.mailroom.sync.StoreFixtures.identity;
import static dev.mailroom.sync.StoreFixtures.renamed;
import static dev.mailroom.sync.StoreFixtures.reset;
import static dev.mailroom.sync.StoreFixtures.statusAt;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailroom.events.MailroomEvent;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.testing.TestKafka;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The connector's event sequences for each kind of change, sent to a real Kafka topic with the
 * replays and duplicates at-least-once delivery brings, end as the expected rows in a real
 * PostgreSQL. Each test ends its sequence with a status of a mailbox (the marker): one account's
 * events are applied in order, so once the marker is stored everything before it is too.
 */
@QuarkusTest
class ReconciliationIngestTest {

  static final TestKafka kafka = TestKafka.shared();

  @ConfigProperty(name = "mailroom.topic.mail")
  String mailTopic;

  @Inject EntityManager em;

  @Test
  void flagChangeWinsOverAReplayedAddAndAnOlderChange() {
    AccountId id = AccountId.random();
    String m = identity(4001);
    sendAndWait(
        id,
        "INBOX",
        7,
        List.of(
            addedAt(id, "INBOX", 7, 1, 1, m),
            flags(id, "INBOX", 7, 1, 5, "\\Seen"),
            addedAt(
                id, "INBOX", 7, 1, 1, m), // replayed add, older MODSEQ: must not roll flags back
            flags(id, "INBOX", 7, 1, 3, "\\Flagged"), // an older change delivered late
            flags(id, "INBOX", 7, 1, 5, "\\Seen"))); // a duplicate
    assertThat(locations(id)).containsExactly("INBOX 7 1 " + m + " \\Seen 5");
  }

  @Test
  void moveKeepsTheMessageWhateverTheReplays() {
    AccountId id = AccountId.random();
    String m = identity(4002);
    var move =
        List.<MailroomEvent>of(
            addedAt(id, "INBOX", 7, 1, 1, m, "\\Seen"),
            addedAt(id, "Archive", 9, 1, 2, m, "\\Seen"), // MOVE (RFC 6851): added at the target...
            expunged(id, "INBOX", 7, 1)); // ...then expunged at the source, same identity
    kafka.send(mailTopic, statusAt(id, "INBOX", 7, 2, 1, 1, 0));
    move.forEach(e -> kafka.send(mailTopic, e));
    sendAndWait(id, "Archive", 9, move); // the whole move replayed

    assertThat(locations(id)).containsExactly("Archive 9 1 " + m + " \\Seen 2");
    assertThat(count("select count(*) from message where account_id = :id", id)).isEqualTo(1);
    JsonPath boxes = asGateway().get("/internal/accounts/{id}/mailboxes", id.toString()).jsonPath();
    assertThat(boxes.getList("path")).containsExactly("Archive", "INBOX");
    assertThat(boxes.getList("stored", Integer.class)).containsExactly(1, 0);
  }

  @Test
  void expungeReplayedBeforeItsAddLeavesNoGhost() {
    AccountId id = AccountId.random();
    String m = identity(4003);
    sendAndWait(
        id,
        "INBOX",
        7,
        List.of(
            addedAt(id, "INBOX", 7, 1, 1, m),
            addedAt(id, "INBOX", 7, 2, 2, identity(4004)),
            expunged(id, "INBOX", 7, 1),
            // a replay of the earlier stretch: the add comes again after its expunge
            addedAt(id, "INBOX", 7, 1, 1, m),
            expunged(id, "INBOX", 7, 1)));
    assertThat(locations(id)).containsExactly("INBOX 7 2 " + identity(4004) + " 2");
    assertThat(count("select count(*) from message where account_id = :id", id)).isEqualTo(1);
  }

  @Test
  void renameMovesLocationsAndAReplayOfTheOldNameIsIgnored() {
    AccountId id = AccountId.random();
    sendAndWait(
        id,
        "Projects",
        7,
        List.of(
            addedAt(id, "Work", 7, 1, 1, identity(4005)),
            addedAt(id, "Work", 7, 2, 2, identity(4006)),
            flags(id, "Work", 7, 2, 4, "\\Seen"),
            statusAt(id, "Work", 7, 3, 4, 2, 1),
            renamed(id, "Work", "Projects", 7),
            addedAt(id, "Work", 7, 1, 1, identity(4005)), // replayed: the old name is gone
            renamed(id, "Work", "Projects", 7))); // replayed rename
    assertThat(locations(id))
        .containsExactly(
            "Projects 7 1 " + identity(4005) + " 1",
            "Projects 7 2 " + identity(4006) + " \\Seen 4");
    JsonPath page =
        asGateway()
            .queryParam("mailbox", "Projects")
            .get("/internal/accounts/{id}/messages", id.toString())
            .jsonPath();
    assertThat(page.getList("items.uid", Integer.class)).containsExactly(2, 1);
    assertThat(
            asGateway()
                .get("/internal/accounts/{id}/mailboxes", id.toString())
                .jsonPath()
                .getList("path"))
        .containsExactly("Projects");
  }

  @Test
  void resetDropsTheOldLocationsAndTheFreshSyncRefillsThem() {
    AccountId id = AccountId.random();
    String kept = identity(4007);
    String gone = identity(4008);
    sendAndWait(
        id,
        "INBOX",
        8,
        List.of(
            addedAt(id, "INBOX", 7, 1, 1, kept),
            addedAt(id, "INBOX", 7, 2, 2, gone),
            statusAt(id, "INBOX", 7, 3, 2, 2, 2),
            reset(id, "INBOX", 7, 8), // RFC 9051 §2.3.1.1: new UIDVALIDITY, every old UID is void
            addedAt(id, "INBOX", 8, 1, 1, kept), // the fresh sync
            addedAt(id, "INBOX", 7, 2, 2, gone), // a replay of the old stretch
            reset(id, "INBOX", 7, 8)));
    assertThat(locations(id)).containsExactly("INBOX 8 1 " + kept + " 1");
    assertThat(count("select count(*) from message where account_id = :id", id)).isEqualTo(1);
  }

  @Test
  void conversationOneMessageAndTheChangeFeedAreServed() {
    AccountId id = AccountId.random();
    var root =
        new dev.mailroom.events.mail.MessageAdded(
            id,
            dev.mailroom.events.model.MailboxPath.of("INBOX"),
            dev.mailroom.events.model.UidValidity.of(7),
            dev.mailroom.events.model.Uid.of(1),
            dev.mailroom.events.model.ModSeq.of(1),
            identity(4100),
            "<root@example.com>",
            "Plans",
            List.of(),
            List.of(),
            List.of(),
            StoreFixtures.T0,
            StoreFixtures.T0,
            10,
            List.of(),
            null,
            List.of(),
            "Let us meet",
            "Let us meet on Monday.",
            "<p>Let us meet on Monday.</p>",
            List.of(
                new dev.mailroom.events.mail.MessageAdded.Attachment(
                    "2", "agenda.pdf", "application/pdf", 1234)));
    var reply =
        new dev.mailroom.events.mail.MessageAdded(
            id,
            dev.mailroom.events.model.MailboxPath.of("INBOX"),
            dev.mailroom.events.model.UidValidity.of(7),
            dev.mailroom.events.model.Uid.of(2),
            dev.mailroom.events.model.ModSeq.of(2),
            identity(4101),
            "<reply@example.com>",
            "Re: Plans",
            List.of(),
            List.of(),
            List.of(),
            StoreFixtures.T0.plusSeconds(60),
            StoreFixtures.T0.plusSeconds(60),
            10,
            List.of(),
            "<root@example.com>",
            List.of("<root@example.com>"));
    var late = addedAt(id, "INBOX", 7, 3, 3, identity(4102)); // unrelated
    sendAndWait(id, "INBOX", 7, List.of(reply, root, late, expunged(id, "INBOX", 7, 3)));

    JsonPath message =
        asGateway()
            .get("/internal/accounts/{id}/messages/{m}", id.toString(), identity(4100))
            .jsonPath();
    assertThat(message.getString("textBody")).isEqualTo("Let us meet on Monday.");
    assertThat(message.getString("attachments[0].filename")).isEqualTo("agenda.pdf");
    assertThat(message.getList("locations.uid", Integer.class)).containsExactly(1);
    String thread = message.getString("threadId");
    JsonPath conversation =
        asGateway()
            .get("/internal/accounts/{id}/conversations/{t}", id.toString(), thread)
            .jsonPath();
    assertThat(conversation.getList("messages.subject")).containsExactly("Plans", "Re: Plans");

    JsonPath changes =
        asGateway()
            .queryParam("after", 0)
            .get("/internal/accounts/{id}/changes", id.toString())
            .jsonPath();
    assertThat(changes.getList("changes.kind"))
        .containsSubsequence(
            "message.added",
            "message.added",
            "message.added",
            "message.removed",
            "mailbox.changed");
    long cursor = changes.getLong("cursor");
    asGateway()
        .queryParam("after", cursor)
        .get("/internal/accounts/{id}/changes", id.toString())
        .then()
        .statusCode(200)
        .body("changes", org.hamcrest.Matchers.hasSize(0));
    asGateway()
        .get("/internal/accounts/{id}/conversations/{t}", id.toString(), "nope")
        .then()
        .statusCode(404);
  }

  /** Sends the events, then a status of {@code mailbox} as the marker, and waits for it. */
  private void sendAndWait(
      AccountId id, String mailbox, long uidValidity, List<? extends MailroomEvent> events) {
    events.forEach(e -> kafka.send(mailTopic, e));
    kafka.send(mailTopic, statusAt(id, mailbox, uidValidity, 99, 999, 1, 0));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                count(
                        "select count(*) from mailbox where account_id = :id and highest_modseq = 999",
                        id)
                    == 1);
  }

  @SuppressWarnings("unchecked")
  private List<String> locations(AccountId id) {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                (List<String>)
                    em.createNativeQuery(
                            """
            select concat_ws(' ', l.mailbox, l.uid_validity, l.uid, m.identity,
                             nullif(array_to_string(l.flags, ' '), ''), l.modseq)
            from message_location l join message m on m.id = l.message_ref
            where l.account_id = :id order by l.mailbox, l.uid_validity, l.uid
            """)
                        .setParameter("id", id.value())
                        .getResultList());
  }

  private long count(String sql, AccountId id) {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                ((Number)
                        em.createNativeQuery(sql).setParameter("id", id.value()).getSingleResult())
                    .longValue());
  }

  /**
   * The token first, outside any wait: Keycloak's first grant can take seconds on a busy machine.
   */
  @org.junit.jupiter.api.BeforeAll
  static void fetchTheGatewaysToken() {
    dev.mailroom.events.testing.ServiceTokens.gateway();
  }

  /** As the gateway calls it: with the gateway's own service token (ADR 0007). */
  private static io.restassured.specification.RequestSpecification asGateway() {
    return given().auth().oauth2(dev.mailroom.events.testing.ServiceTokens.gateway());
  }
}
