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

  @ConfigProperty(name = "mailroom.commands.topic") String topic;

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
    given().auth().oauth2(Tokens.of("demo")).contentType(ContentType.JSON).body(Map.of("role", "trash"))
        .post("/api/accounts/{a}/messages/{m}/move", account, message)
        .then().statusCode(409)
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
    given().auth().oauth2(Tokens.of("demo")).contentType(ContentType.JSON).body(Map.of("role", "trash"))
        .post("/api/accounts/{a}/messages/{m}/move", account, message)
        .then().statusCode(202).body("status", equalTo("pending"));
    given().auth().oauth2(Tokens.of("demo")).contentType(ContentType.JSON).body(Map.of("mailbox", "INBOX"))
        .post("/api/accounts/{a}/messages/{m}/move", account, message)
        .then().statusCode(202);
    List<CommandRequested> sent = commands(2);
    assertThat(sent).extracting(CommandRequested::action).containsOnly(CommandAction.MOVE);
    assertThat(sent).extracting(c -> c.destination().value()).containsExactly("Trash", "INBOX");
    assertThat(sent.getFirst().targets()).singleElement()
        .satisfies(t -> assertThat(t.mailbox().value() + "/" + t.uid()).isEqualTo("Archive/42"));

    // Already there, an unknown mailbox, a bad body: 400 saying what to fix, nothing sent.
    given().auth().oauth2(Tokens.of("demo")).contentType(ContentType.JSON).body(Map.of("role", "archive"))
        .post("/api/accounts/{a}/messages/{m}/move", account, message)
        .then().statusCode(400).body("errors[0].message", containsString("already in Archive"));
    given().auth().oauth2(Tokens.of("demo")).contentType(ContentType.JSON).body(Map.of("mailbox", "Nowhere"))
        .post("/api/accounts/{a}/messages/{m}/move", account, message)
        .then().statusCode(400).body("errors[0].field", equalTo("mailbox"));
    given().auth().oauth2(Tokens.of("demo")).contentType(ContentType.JSON)
        .body(Map.of("mailbox", "INBOX", "role", "trash"))
        .post("/api/accounts/{a}/messages/{m}/move", account, message)
        .then().statusCode(400);
    given().auth().oauth2(Tokens.of("demo")).contentType(ContentType.JSON).body(Map.of("role", "sent"))
        .post("/api/accounts/{a}/messages/{m}/move", account, message)
        .then().statusCode(400).body("errors[0].field", equalTo("role"));
    assertThat(commands(3)).hasSize(2);
  }

  @Test
  void rolesAreReadAndMappedByTheOwnerOnly() {
    FakeCommandStoreResource.ROLES.put(account, roles("Trash"));
    given().auth().oauth2(Tokens.of("demo")).get("/api/accounts/{a}/roles", account)
        .then().statusCode(200).body("roles.trash.path", equalTo("Trash")).body("unmapped[0]", equalTo("sent"));
    given().auth().oauth2(Tokens.of("demo")).contentType(ContentType.JSON).body(Map.of("archive", "Archive"))
        .put("/api/accounts/{a}/roles", account).then().statusCode(200);
    assertThat(FakeCommandStoreResource.MAPPED.get(account).path("archive").asText()).isEqualTo("Archive");
    given().auth().oauth2(Tokens.of("demo")).contentType(ContentType.JSON).body(Map.of("nonsense", "Archive"))
        .put("/api/accounts/{a}/roles", account).then().statusCode(400)
        .body("detail", containsString("not a role"));
    given().auth().oauth2(Tokens.of("eve")).get("/api/accounts/{a}/roles", account).then().statusCode(404);
    given().auth().oauth2(Tokens.of("eve")).contentType(ContentType.JSON).body(Map.of("archive", "Archive"))
        .put("/api/accounts/{a}/roles", account).then().statusCode(404);
  }

  private static ObjectNode roles(String trash) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    ObjectNode roles = out.putObject("roles");
    roles.putObject("archive").put("path", "Archive").put("source", "special-use").put("guessed", false);
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
    var records = TestKafka.shared().readUntil(topic,
        seen -> seen.stream().filter(r -> account.equals(r.key())).count() >= atLeast, Duration.ofSeconds(3));
    return records.stream().filter(r -> account.equals(r.key()))
        .map(r -> (CommandRequested) EventCodec.decode(TestKafka.header(r, CloudEventHeaders.TYPE), r.value()))
        .toList();
  }
}
