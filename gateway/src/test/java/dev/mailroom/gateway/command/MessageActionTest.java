package dev.mailroom.gateway.command;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.mailroom.events.EventCodec;
import dev.mailroom.events.cloudevents.CloudEventHeaders;
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
 * Flag actions through the gateway, with a real Keycloak token and the real commands topic; {@link
 * FakeCommandStoreResource} answers as sync-service. What the connector and the store do with the
 * command is tested in their modules, against Dovecot and PostgreSQL.
 */
@QuarkusTest
class MessageActionTest {

  @ConfigProperty(name = "mailroom.commands.topic")
  String topic;

  private String account;
  private final String message = "mid:" + UUID.randomUUID();

  @BeforeEach
  void demoHasAMessage() {
    account = UUID.randomUUID().toString();
    FakeSyncResource.store(account, Tokens.subjectOf("demo"), "Demo's mail");
    FakeCommandStoreResource.locate(message, "INBOX", 7, 42, 1234, "\\Answered");
  }

  @Test
  void aFlagChangeBecomesACommandWithWhereAndHowTheOwnerSawTheMessage() {
    String commandId =
        given()
            .auth()
            .oauth2(Tokens.of("demo"))
            .contentType(ContentType.JSON)
            .body(
                Map.of("seen", true, "flagged", false, "keywords", Map.of("add", List.of("$Work"))))
            .patch("/api/accounts/{a}/messages/{m}", account, message)
            .then()
            .statusCode(202)
            .body("status", equalTo("pending"))
            .header("Location", containsString("/api/accounts/" + account + "/commands/"))
            .extract()
            .path("commandId");

    CommandRequested sent = commands(1).getFirst();
    assertThat(sent.commandId()).isEqualTo(commandId);
    assertThat(sent.requestedBy()).isEqualTo(Tokens.subjectOf("demo"));
    assertThat(sent.flags().add()).containsExactly("\\Seen", "$Work");
    assertThat(sent.flags().remove()).containsExactly("\\Flagged");
    assertThat(sent.targets())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.mailbox().value()).isEqualTo("INBOX");
              assertThat(t.uidValidity().value()).isEqualTo(7);
              assertThat(t.uid().value()).isEqualTo(42);
              assertThat(t.modSeq().value()).isEqualTo(1234);
              assertThat(t.seenFlags()).containsExactly("\\Answered");
            });

    // The status comes from the store, owner-checked.
    FakeCommandStoreResource.COMMANDS.put(
        commandId,
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
            .objectNode()
            .put("commandId", commandId)
            .put("status", "failed")
            .put("reason", "CONFLICT")
            .put("detail", "another client changed \\Seen"));
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .get("/api/accounts/{a}/commands/{c}", account, commandId)
        .then()
        .statusCode(200)
        .body("status", equalTo("failed"))
        .body("reason", equalTo("CONFLICT"));
    given()
        .auth()
        .oauth2(Tokens.of("eve"))
        .get("/api/accounts/{a}/commands/{c}", account, commandId)
        .then()
        .statusCode(404);
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .get("/api/accounts/{a}/commands/{c}", account, UUID.randomUUID())
        .then()
        .statusCode(404)
        .body("type", equalTo("urn:mailroom:problem:not-found"));
  }

  @Test
  void aRetryWithTheSameIdempotencyKeyIsTheSameCommandAndSendsNothing() {
    String key = "retry-" + UUID.randomUUID();
    String first = patch(key).then().statusCode(202).extract().path("commandId");
    CommandRequested sent = commands(1).getFirst();
    assertThat(sent.idempotencyKey()).isEqualTo(key);
    assertThat(sent.requestDigest()).as("a keyed request carries its digest").hasSize(64);
    // sync-service has read it (with the digest): the retry is answered from the store.
    FakeCommandStoreResource.COMMANDS.put(
        first,
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
            .objectNode()
            .put("commandId", first)
            .put("status", "applied")
            .put("requestDigest", sent.requestDigest()));
    patch(key)
        .then()
        .statusCode(202)
        .body("commandId", equalTo(first))
        .body("status", equalTo("applied"));
    // The same key with another request is refused, naming the key; nothing is sent.
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .contentType(ContentType.JSON)
        .header("Idempotency-Key", key)
        .body(Map.of("seen", false))
        .patch("/api/accounts/{a}/messages/{m}", account, message)
        .then()
        .statusCode(422)
        .body("type", equalTo("urn:mailroom:problem:idempotency-key-reused"))
        .body("detail", containsString(key));
    assertThat(commands(2)).as("nothing sent again").hasSize(1);
    // Another key is another command.
    String other =
        patch("other-" + UUID.randomUUID()).then().statusCode(202).extract().path("commandId");
    assertThat(other).isNotEqualTo(first);
  }

  @Test
  void badRequestsSayWhatToFix() {
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .contentType(ContentType.JSON)
        .body(Map.of())
        .patch("/api/accounts/{a}/messages/{m}", account, message)
        .then()
        .statusCode(400)
        .body("detail", containsString("nothing to change"));
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .contentType(ContentType.JSON)
        .body(Map.of("keywords", Map.of("add", List.of("two words"))))
        .patch("/api/accounts/{a}/messages/{m}", account, message)
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("keywords.add"));
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .contentType(ContentType.JSON)
        .header("Idempotency-Key", "a b")
        .body(Map.of("seen", true))
        .patch("/api/accounts/{a}/messages/{m}", account, message)
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("Idempotency-Key"));
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .contentType(ContentType.JSON)
        .body(Map.of("seen", true))
        .patch("/api/accounts/{a}/messages/{m}", account, "mid:nothing-like-it")
        .then()
        .statusCode(404)
        .body("detail", containsString("never had it"));
    String expunged = "mid:" + UUID.randomUUID();
    FakeCommandStoreResource.EXPUNGED.add(expunged);
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .contentType(ContentType.JSON)
        .body(Map.of("seen", true))
        .patch("/api/accounts/{a}/messages/{m}", account, expunged)
        .then()
        .statusCode(410)
        .body("type", equalTo("urn:mailroom:problem:message-expunged"))
        .body("detail", containsString(expunged));
    String gone = "mid:" + UUID.randomUUID();
    FakeCommandStoreResource.GONE.add(gone);
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .contentType(ContentType.JSON)
        .body(Map.of("seen", true))
        .patch("/api/accounts/{a}/messages/{m}", account, gone)
        .then()
        .statusCode(410)
        .body("type", equalTo("urn:mailroom:problem:message-relocating"));
    // Someone else's account: the same 404 as an account that does not exist.
    given()
        .auth()
        .oauth2(Tokens.of("eve"))
        .contentType(ContentType.JSON)
        .body(Map.of("seen", true))
        .patch("/api/accounts/{a}/messages/{m}", account, message)
        .then()
        .statusCode(404);
    assertThat(commands(1)).as("no command for any of these").isEmpty();
  }

  private io.restassured.response.Response patch(String key) {
    return given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .contentType(ContentType.JSON)
        .header("Idempotency-Key", key)
        .body(Map.of("seen", true))
        .patch("/api/accounts/{a}/messages/{m}", account, message);
  }

  /** This test's account's commands on the topic, read until {@code atLeast} or a short while. */
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
