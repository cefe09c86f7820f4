package dev.mailroom.sync;

import static dev.mailroom.sync.StoreFixtures.account;
import static dev.mailroom.sync.StoreFixtures.addedAt;
import static dev.mailroom.sync.StoreFixtures.expunged;
import static dev.mailroom.sync.StoreFixtures.flags;
import static dev.mailroom.sync.StoreFixtures.identity;
import static dev.mailroom.sync.StoreFixtures.statusAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.mailroom.events.command.CommandAction;
import dev.mailroom.events.command.CommandRequested;
import dev.mailroom.events.command.CommandTarget;
import dev.mailroom.events.command.FlagEdit;
import dev.mailroom.events.mail.CommandApplied;
import dev.mailroom.events.mail.CommandFailed;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.MailboxPath;
import dev.mailroom.events.model.ModSeq;
import dev.mailroom.events.model.Uid;
import dev.mailroom.events.model.UidValidity;
import dev.mailroom.events.testing.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Commands on the real commands topic and their outcomes on the real mail topic, in a real
 * PostgreSQL: the requested flags show at once, marked pending, and give way to the server's flags
 * when the outcome comes, whichever topic is read first and however often.
 */
@QuarkusTest
class CommandStoreTest {

  static final TestKafka kafka = TestKafka.shared();

  @ConfigProperty(name = "mailroom.topic.mail")
  String mailTopic;

  @ConfigProperty(name = "mailroom.topic.accounts")
  String accountsTopic;

  @ConfigProperty(name = "mailroom.topic.commands")
  String commandTopic;

  @Inject EntityManager em;

  @Test
  void requestedFlagsShowPendingThenTheServersStateStands() {
    AccountId id = AccountId.random();
    kafka.send(accountsTopic, account(id, "owner-" + UUID.randomUUID()));
    kafka.send(mailTopic, addedAt(id, "INBOX", 7, 1, 3, identity(1)));
    kafka.send(mailTopic, addedAt(id, "INBOX", 7, 2, 4, identity(2)));
    kafka.send(mailTopic, statusAt(id, "INBOX", 7, 3, 4, 2, 2));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(messages(id)).hasSize(2));

    // Asked: read and flagged. Shown at once, pending; the command is pending.
    CommandRequested mark = command(id, 1, 3, List.of(), List.of("\\Seen", "\\Flagged"), List.of());
    kafka.send(commandTopic, mark);
    kafka.send(commandTopic, mark); // a retried request with the same Idempotency-Key: one command
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(message(id, 1).getBoolean("pending")).isTrue());
    assertThat(message(id, 1).getList("flags")).containsExactlyInAnyOrder("\\Seen", "\\Flagged");
    assertThat(message(id, 2).getBoolean("pending")).isFalse();
    command(id, mark).body("status", equalTo("pending")).body("targets", equalTo(1));
    JsonPath located = locate(id, identity(1), identity(404));
    assertThat(located.getList("located.'" + identity(1) + "'.flags.flatten()"))
        .containsExactlyInAnyOrder("\\Seen", "\\Flagged");
    assertThat(located.getList("located.'" + identity(1) + "'.modSeq")).containsExactly(3);
    assertThat(located.getList("unknown")).containsExactly(identity(404));
    assertThat(count("select count(*) from command where id = cast(?1 as uuid)", mark.commandId()))
        .isEqualTo(1);

    // The server's flags, then the outcome: pending ends, the server's state stands.
    kafka.send(mailTopic, flags(id, "INBOX", 7, 1, 5, "\\Seen", "\\Flagged"));
    kafka.send(mailTopic, new CommandApplied(id, mark.commandId(), 1, 0, Instant.now()));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> command(id, mark).body("status", equalTo("applied")));
    assertThat(message(id, 1).getBoolean("pending")).isFalse();
    assertThat(message(id, 1).getList("flags")).containsExactlyInAnyOrder("\\Seen", "\\Flagged");

    // A failed command: the requested state shows while pending, then the server's comes back.
    CommandRequested unread =
        command(id, 1, 5, List.of("\\Seen", "\\Flagged"), List.of(), List.of("\\Seen"));
    kafka.send(commandTopic, unread);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> assertThat(message(id, 1).getList("flags")).containsExactly("\\Flagged"));
    kafka.send(
        mailTopic,
        new CommandFailed(
            id,
            unread.commandId(),
            CommandFailed.Reason.SERVER_REFUSED,
            "NO [CANNOT] Mailbox is read-only",
            0,
            Instant.now()));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> command(id, unread).body("status", equalTo("failed")));
    command(id, unread)
        .body("reason", equalTo("SERVER_REFUSED"))
        .body("detail", equalTo("NO [CANNOT] Mailbox is read-only"));
    assertThat(message(id, 1).getList("flags")).containsExactlyInAnyOrder("\\Seen", "\\Flagged");
    assertThat(message(id, 1).getBoolean("pending")).isFalse();

    // The outcome read before its request (two topics): the request read later shows nothing
    // pending and leaves the outcome as it is.
    CommandRequested late = command(id, 2, 4, List.of(), List.of("\\Flagged"), List.of());
    kafka.send(mailTopic, new CommandApplied(id, late.commandId(), 0, 1, Instant.now()));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> command(id, late).body("status", equalTo("applied")));
    kafka.send(commandTopic, late);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> command(id, late).body("action", equalTo("FLAGS")));
    command(id, late).body("status", equalTo("applied"));
    assertThat(message(id, 2).getBoolean("pending")).isFalse();

    // An expunged message goes with its last location and leaves a tombstone: locate tells it
    // (the gateway's 410) from an id never held (404).
    kafka.send(mailTopic, expunged(id, "INBOX", 7, 2));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(locate(id, identity(2)).getList("expunged"))
                    .containsExactly(identity(2)));
    JsonPath after = locate(id, identity(2), identity(404));
    assertThat(after.getList("unknown")).containsExactly(identity(404));
    assertThat(after.getList("expunged")).containsExactly(identity(2));

    // A keyed request's digest is kept, so the gateway can refuse the key reused for another.
    CommandRequested plain = command(id, 1, 3, List.of(), List.of("\\Seen"), List.of());
    CommandRequested keyed =
        new CommandRequested(
            id,
            plain.commandId(),
            plain.action(),
            plain.targets(),
            plain.flags(),
            null,
            null,
            "key-1",
            plain.requestedBy(),
            plain.requestedAt(),
            "ab".repeat(32));
    kafka.send(commandTopic, keyed);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> command(id, keyed).body("requestDigest", equalTo("ab".repeat(32))));
    asGateway()
        .get("/internal/accounts/{id}/commands/{c}", id.toString(), UUID.randomUUID().toString())
        .then()
        .statusCode(404);
  }

  @Test
  void rolesComeFromSpecialUseOrNamesAndTheOwnersMappingWinsAndStays() {
    AccountId id = AccountId.random();
    kafka.send(accountsTopic, account(id, "owner-" + UUID.randomUUID()));
    kafka.send(mailTopic, statusAt(id, "INBOX", 7, 1, 1, 0, 0));
    kafka.send(mailTopic, statusAt(id, "Papierkorb", 8, 1, 1, 0, 0));
    kafka.send(mailTopic, statusAt(id, "Old mail", 9, 1, 1, 0, 0));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                asGateway()
                    .get("/internal/accounts/{id}/mailboxes", id.toString())
                    .then()
                    .body("$", org.hamcrest.Matchers.hasSize(3)));
    asGateway()
        .get("/internal/accounts/{id}/roles", id.toString())
        .then()
        .statusCode(200)
        .body("roles.trash.path", equalTo("Papierkorb"))
        .body("roles.trash.guessed", equalTo(true))
        .body("unmapped", org.hamcrest.Matchers.contains("archive", "sent", "junk", "drafts"));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                asGateway()
                    .get("/internal/accounts/{id}", id.toString())
                    .then()
                    .statusCode(200)
                    .body(
                        "unmappedRoles",
                        org.hamcrest.Matchers.contains("archive", "sent", "junk", "drafts")));

    // The owner maps Archive; a path the account lacks is refused with what to do.
    asGateway()
        .contentType(ContentType.JSON)
        .body(Map.of("archive", "No such box"))
        .put("/internal/accounts/{id}/roles", id.toString())
        .then()
        .statusCode(422);
    asGateway()
        .contentType(ContentType.JSON)
        .body(Map.of("archive", "Old mail"))
        .put("/internal/accounts/{id}/roles", id.toString())
        .then()
        .statusCode(200)
        .body("roles.archive.source", equalTo("owner"));
    // A resync of the mailbox (new status, even a new UIDVALIDITY) leaves the mapping as it is.
    kafka.send(mailTopic, statusAt(id, "Old mail", 10, 5, 9, 3, 0));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(
                        asGateway()
                            .get("/internal/accounts/{id}/mailboxes", id.toString())
                            .jsonPath()
                            .getLong("find { it.path == 'Old mail' }.uidValidity"))
                    .isEqualTo(10));
    JsonPath boxes = asGateway().get("/internal/accounts/{id}/mailboxes", id.toString()).jsonPath();
    assertThat(boxes.getString("find { it.path == 'Old mail' }.role")).isEqualTo("archive");
    assertThat(boxes.getString("find { it.path == 'Old mail' }.roleSource")).isEqualTo("owner");
    assertThat(boxes.getString("find { it.path == 'Papierkorb' }.roleSource")).isEqualTo("name");
    asGateway()
        .get("/internal/accounts/{id}/roles", id.toString())
        .then()
        .body("roles.archive.path", equalTo("Old mail"))
        .body("unmapped", org.hamcrest.Matchers.contains("sent", "junk", "drafts"));
  }

  @Test
  void aPendingMoveShowsWhereTheMessageGoes() {
    AccountId id = AccountId.random();
    kafka.send(mailTopic, addedAt(id, "INBOX", 7, 1, 3, identity(1)));
    kafka.send(mailTopic, statusAt(id, "INBOX", 7, 2, 3, 1, 1));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(messages(id)).hasSize(1));
    CommandRequested move =
        new CommandRequested(
            id,
            UUID.randomUUID().toString(),
            CommandAction.MOVE,
            List.of(
                new CommandTarget(
                    MailboxPath.INBOX, UidValidity.of(7), Uid.of(1), ModSeq.of(3), List.of())),
            null,
            MailboxPath.of("Archive"),
            null,
            null,
            "owner",
            Instant.now());
    kafka.send(commandTopic, move);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(message(id, 1).getString("movingTo")).isEqualTo("Archive"));
    assertThat(message(id, 1).getBoolean("pending")).isTrue();
    kafka.send(
        mailTopic,
        new CommandFailed(
            id,
            move.commandId(),
            CommandFailed.Reason.UNSUPPORTED,
            "the server offers neither MOVE nor UIDPLUS",
            0,
            Instant.now()));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(message(id, 1).getBoolean("pending")).isFalse());
    assertThat(message(id, 1).getString("movingTo")).isNull();
  }

  private static CommandRequested command(
      AccountId id,
      long uid,
      long modSeq,
      List<String> seen,
      List<String> add,
      List<String> remove) {
    return new CommandRequested(
        id,
        UUID.randomUUID().toString(),
        CommandAction.FLAGS,
        List.of(
            new CommandTarget(
                MailboxPath.INBOX, UidValidity.of(7), Uid.of(uid), ModSeq.of(modSeq), seen)),
        new FlagEdit(add, remove),
        null,
        null,
        "key-" + uid,
        "owner",
        Instant.now());
  }

  private static io.restassured.response.ValidatableResponse command(
      AccountId id, CommandRequested c) {
    return asGateway()
        .get("/internal/accounts/{id}/commands/{c}", id.toString(), c.commandId())
        .then()
        .statusCode(200);
  }

  private static List<Map<String, Object>> messages(AccountId id) {
    return asGateway()
        .queryParam("mailbox", "INBOX")
        .get("/internal/accounts/{id}/messages", id.toString())
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("items");
  }

  private static JsonPath message(AccountId id, long uid) {
    List<Map<String, Object>> items = messages(id);
    int index = 0;
    for (; index < items.size(); index++) {
      if (((Number) items.get(index).get("uid")).longValue() == uid) {
        break;
      }
    }
    return asGateway()
        .queryParam("mailbox", "INBOX")
        .get("/internal/accounts/{id}/messages", id.toString())
        .jsonPath()
        .setRootPath("items[" + index + "]");
  }

  private static JsonPath locate(AccountId id, String... ids) {
    return asGateway()
        .contentType(ContentType.JSON)
        .body(Map.of("ids", List.of(ids)))
        .post("/internal/accounts/{id}/messages/locate", id.toString())
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  private long count(String sql, Object param) {
    return ((Number) em.createNativeQuery(sql).setParameter(1, param).getSingleResult())
        .longValue();
  }

  /** As the gateway calls it: with the gateway's own service token (ADR 0007). */
  private static io.restassured.specification.RequestSpecification asGateway() {
    return io.restassured.RestAssured.given()
        .auth()
        .oauth2(dev.mailroom.events.testing.ServiceTokens.gateway());
  }
}
