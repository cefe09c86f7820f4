package dev.mailroom.gateway.command;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mailroom.events.EventCodec;
import dev.mailroom.events.cloudevents.CloudEventHeaders;
import dev.mailroom.events.command.CommandAction;
import dev.mailroom.events.command.CommandRequested;
import dev.mailroom.events.testing.TestKafka;
import dev.mailroom.gateway.testing.FakeCommandStoreResource;
import dev.mailroom.gateway.testing.FakeSyncResource;
import dev.mailroom.gateway.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Moves and roles through the gateway: a role with no mailbox is "Mailboxes not configured" (409,
 * nothing sent), a mapped or detected one is the destination; {@link FakeCommandStoreResource}
 * answers as sync-service, the commands topic is the real one.
 */
@QuarkusTest
class MoveActionTest {

  @ConfigProperty(name = "mailroom.commands.topic")
  String topic;

  private String account;
  private final String message = "mid:" + UUID.randomUUID();

  @BeforeEach
  void demoHasAMessageInArchive() {
    account = UUID.randomUUID().toString();
    FakeSyncResource.store(account, Tokens.subjectOf("demo"), "Demo's mail");
    FakeCommandStoreResource.locate(message, "Archive", 7, 42, 1234);
  }

  @Test
  void aRoleNoMailboxPlaysIsMailboxesNotConfiguredAndNothingIsSent() {
    FakeCommandStoreResource.ROLES.put(account, roles(null));
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .contentType(ContentType.JSON)
        .body(Map.of("role", "trash"))
        .post("/api/accounts/{a}/messages/{m}/move", account, message)
        .then()
        .statusCode(409)
        .body("type", equalTo("urn:mailroom:problem:mailboxes-not-configured"))
        .body("title", equalTo("Mailboxes not configured"))
        .body("errors[0].field", equalTo("roles.trash"))
        .body("detail", containsString("PUT /api/accounts/" + account + "/roles"))
        .body("detail", containsString("create"));
    assertThat(commands(1)).isEmpty();
  }

  @Test
  void aMoveByRoleOrPathBecomesAMoveCommand() {
    FakeCommandStoreResource.ROLES.put(account, roles("Trash"));
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .contentType(ContentType.JSON)
        .body(Map.of("role", "trash"))
        .post("/api/accounts/{a}/messages/{m}/move", account, message)
        .then()
        .statusCode(202)
        .body("status", equalTo("pending"));
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .contentType(ContentType.JSON)
        .body(Map.of("mailbox", "INBOX"))
        .post("/api/accounts/{a}/messages/{m}/move", account, message)
        .then()
        .statusCode(202);
    List<CommandRequested> sent = commands(2);
    assertThat(sent).extracting(CommandRequested::action).containsOnly(CommandAction.MOVE);
    assertThat(sent).extracting(c -> c.destination().value()).containsExactly("Trash", "INBOX");
    assertThat(sent.getFirst().targets())
        .singleElement()
        .satisfies(t -> assertThat(t.mailbox().value() + "/" + t.uid()).isEqualTo("Archive/42"));

    // Already there, an unknown mailbox, a bad body: 400 saying what to fix, nothing sent.
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .contentType(ContentType.JSON)
        .body(Map.of("role", "archive"))
        .post("/api/accounts/{a}/messages/{m}/move", account, message)
        .then()
        .statusCode(400)
        .body("errors[0].message", containsString("already in Archive"));
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .contentType(ContentType.JSON)
        .body(Map.of("mailbox", "Nowhere"))
        .post("/api/accounts/{a}/messages/{m}/move", account, message)
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("mailbox"));
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .contentType(ContentType.JSON)
        .body(Map.of("mailbox", "INBOX", "role", "trash"))
        .post("/api/accounts/{a}/messages/{m}/move", account, message)
        .then()
        .statusCode(400);
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .contentType(ContentType.JSON)
        .body(Map.of("role", "sent"))
        .post("/api/accounts/{a}/messages/{m}/move", account, message)
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("role"));
    assertThat(commands(3)).hasSize(2);
  }

  @Test
  void rolesAreReadAndMappedByTheOwnerOnly() {
    FakeCommandStoreResource.ROLES.put(account, roles("Trash"));
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .get("/api/accounts/{a}/roles", account)
        .then()
        .statusCode(200)
        .body("roles.trash.path", equalTo("Trash"))
        .body("unmapped[0]", equalTo("sent"));
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .contentType(ContentType.JSON)
        .body(Map.of("archive", "Archive"))
        .put("/api/accounts/{a}/roles", account)
        .then()
        .statusCode(200);
    assertThat(FakeCommandStoreResource.MAPPED.get(account).path("archive").asText())
        .isEqualTo("Archive");
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .contentType(ContentType.JSON)
        .body(Map.of("nonsense", "Archive"))
        .put("/api/accounts/{a}/roles", account)
        .then()
        .statusCode(400)
        .body("detail", containsString("not a role"));
    given()
        .auth()
        .oauth2(Tokens.of("eve"))
        .get("/api/accounts/{a}/roles", account)
        .then()
        .statusCode(404);
    given()
        .auth()
        .oauth2(Tokens.of("eve"))
        .contentType(ContentType.JSON)
        .body(Map.of("archive", "Archive"))
        .put("/api/accounts/{a}/roles", account)
        .then()
        .statusCode(404);
  }

  @Test
  void bulkActionsAreOneCommandAndDeleteOnlyFromTrashOrJunk() {
    FakeCommandStoreResource.ROLES.put(account, roles("Trash"));
    String inInbox = "mid:" + UUID.randomUUID();
    String inTrash = "mid:" + UUID.randomUUID();
    FakeCommandStoreResource.locate(inInbox, "INBOX", 7, 43, 1235);
    FakeCommandStoreResource.locate(inTrash, "Trash", 9, 5, 77);

    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .contentType(ContentType.JSON)
        .body(Map.of("action", "seen", "messageIds", List.of(message, inInbox)))
        .post("/api/accounts/{a}/actions", account)
        .then()
        .statusCode(202);
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .contentType(ContentType.JSON)
        .body(Map.of("action", "trash", "messageIds", List.of(message, inInbox)))
        .post("/api/accounts/{a}/actions", account)
        .then()
        .statusCode(202);
    // Permanent deletion: refused outside Trash and Junk, accepted inside.
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .contentType(ContentType.JSON)
        .body(Map.of("action", "delete", "messageIds", List.of(inTrash, inInbox)))
        .post("/api/accounts/{a}/actions", account)
        .then()
        .statusCode(400)
        .body("errors[0].message", containsString("only from Trash"));
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .contentType(ContentType.JSON)
        .body(Map.of("action", "delete", "messageIds", List.of(inTrash)))
        .post("/api/accounts/{a}/actions", account)
        .then()
        .statusCode(202);
    List<CommandRequested> sent = commands(3);
    assertThat(sent)
        .extracting(CommandRequested::action)
        .containsExactly(CommandAction.FLAGS, CommandAction.MOVE, CommandAction.DELETE);
    assertThat(sent.get(0).targets()).hasSize(2);
    assertThat(sent.get(1).destination().value()).isEqualTo("Trash");
    assertThat(sent.get(2).targets())
        .singleElement()
        .satisfies(t -> assertThat(t.mailbox().value()).isEqualTo("Trash"));

    List<String> tooMany =
        java.util.stream.IntStream.range(0, 1001).mapToObj(i -> "mid:" + i).toList();
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .contentType(ContentType.JSON)
        .body(Map.of("action", "seen", "messageIds", tooMany))
        .post("/api/accounts/{a}/actions", account)
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("messageIds"));
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .contentType(ContentType.JSON)
        .body(Map.of("action", "shred", "messageIds", List.of(message)))
        .post("/api/accounts/{a}/actions", account)
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("action"));
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .contentType(ContentType.JSON)
        .body(Map.of("action", "move", "messageIds", List.of(message)))
        .post("/api/accounts/{a}/actions", account)
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("mailbox"));
  }

  @Test
  void mailboxesAreCreatedRenamedAndDeletedAsCommands() {
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .contentType(ContentType.JSON)
        .body(Map.of("path", "Projects.2026"))
        .post("/api/accounts/{a}/mailboxes", account)
        .then()
        .statusCode(202);
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .contentType(ContentType.JSON)
        .body(Map.of("path", "INBOX"))
        .post("/api/accounts/{a}/mailboxes", account)
        .then()
        .statusCode(409)
        .body("type", equalTo("urn:mailroom:problem:mailbox-exists"));
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .queryParam("path", "INBOX")
        .delete("/api/accounts/{a}/mailboxes", account)
        .then()
        .statusCode(409);
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .queryParam("path", "Nowhere")
        .contentType(ContentType.JSON)
        .body(Map.of("path", "Elsewhere"))
        .patch("/api/accounts/{a}/mailboxes", account)
        .then()
        .statusCode(404);
    // The listing beside them still answers.
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .get("/api/accounts/{a}/mailboxes", account)
        .then()
        .statusCode(200)
        .body("[0].path", equalTo("INBOX"));
    List<CommandRequested> sent = commands(2);
    assertThat(sent)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.action()).isEqualTo(CommandAction.CREATE_MAILBOX);
              assertThat(c.destination().value()).isEqualTo("Projects.2026");
            });
  }

  private static ObjectNode roles(String trash) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    ObjectNode roles = out.putObject("roles");
    roles
        .putObject("archive")
        .put("path", "Archive")
        .put("source", "special-use")
        .put("guessed", false);
    roles.putNull("sent");
    if (trash == null) {
      roles.putNull("trash");
    } else {
      roles.putObject("trash").put("path", trash).put("source", "name").put("guessed", true);
    }
    var unmapped = out.putArray("unmapped").add("sent");
    if (trash == null) {
      unmapped.add("trash");
    }
    return out;
  }

  private List<CommandRequested> commands(int atLeast) {
    var records =
        TestKafka.shared()
            .readUntil(
                topic,
                seen -> seen.stream().filter(r -> account.equals(r.key())).count() >= atLeast,
                Duration.ofSeconds(3));
    return records.stream()
        .filter(r -> account.equals(r.key()))
        .map(
            r ->
                (CommandRequested)
                    EventCodec.decode(TestKafka.header(r, CloudEventHeaders.TYPE), r.value()))
        .toList();
  }
}
