package dev.mailroom.gateway.admin;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.mailroom.events.EventCodec;
import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.events.crypto.SecretBox;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.testing.TestKafka;
import dev.mailroom.gateway.account.AccountDefinitions;
import dev.mailroom.gateway.account.AccountsConfig;
import dev.mailroom.gateway.testing.FakeSameMailboxResource;
import dev.mailroom.gateway.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The admin's host change through the real Keycloak and the real broker; the connector's
 * same-mailbox check is answered by {@link FakeSameMailboxResource} (connector-service tests the
 * real one against Dovecot).
 */
@QuarkusTest
class HostChangeTest {

  private static final String PASSWORD = "HostChange-canary-5d1e-Tr0ub4dor";

  @Inject AccountDefinitions definitions;
  @Inject AccountsConfig accounts;
  @Inject SecretBox secrets;

  @BeforeEach
  void topicExists() {
    try (TestKafka kafka = TestKafka.fromEnvironment()) {
      kafka.createTopic(accounts.topic(), 1);
    }
  }

  private static String create(String host) throws Exception {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("displayName", "Demo's mail");
    fields.put("host", host);
    fields.put("port", 993);
    fields.put("security", "tls");
    fields.put("username", "someone-" + UUID.randomUUID());
    fields.put("password", PASSWORD);
    return given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .contentType(ContentType.JSON)
        .body(EventCodec.mapper().writeValueAsString(fields))
        .post("/api/accounts")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  private static ValidatableResponse change(String user, String id, String host) {
    return given()
        .auth()
        .oauth2(Tokens.of(user))
        .contentType(ContentType.JSON)
        .body("{\"host\": \"" + host + "\", \"port\": 993, \"security\": \"tls\"}")
        .post("/api/admin/accounts/{id}/host", id)
        .then();
  }

  @Test
  void aUserTokenIsForbiddenAndNothingChanges() throws Exception {
    String id = create("imap.example.com");
    change("demo", id, "same.example").statusCode(403);
    change("eve", id, "same.example").statusCode(403);
    assertThat(definitions.latest(AccountId.of(id)).orElseThrow().imap().host())
        .isEqualTo("imap.example.com");
  }

  @Test
  void theSameMailboxOnANewHostIsMovedKeepingIdOwnerUsernameAndPasswordSealedForTheNewHost()
      throws Exception {
    String id = create("imap.example.com");
    AccountDefined before = definitions.latest(AccountId.of(id)).orElseThrow();
    String body =
        change("admin", id, "same.example")
            .statusCode(200)
            .body("id", equalTo(id))
            .body("host", equalTo("same.example"))
            .body("username", equalTo(before.imap().username()))
            .body("password", nullValue())
            .extract()
            .asString();
    assertThat(body).doesNotContain(PASSWORD);

    AccountDefined after = definitions.latest(AccountId.of(id)).orElseThrow();
    assertThat(after.imap().host()).isEqualTo("same.example");
    assertThat(after.imap().username()).isEqualTo(before.imap().username());
    // The password is bound to its endpoint: sealed anew for the new host, and no longer opens for
    // the old one.
    assertThat(secrets.open(after.password(), after.accountId(), after.imap())).isEqualTo(PASSWORD);
    assertThatThrownBy(() -> secrets.open(after.password(), after.accountId(), before.imap()))
        .isInstanceOf(SecretBox.SecretException.class);
    assertThat(after.ownerId()).isEqualTo(Tokens.subjectOf("demo"));
    assertThat(after.definedAt()).isAfter(before.definedAt());
    assertThat(after.createdAt()).isNotNull().isEqualTo(before.createdAt());
    assertThat(FakeSameMailboxResource.REQUESTS)
        .isNotEmpty()
        .noneMatch(r -> r.contains(PASSWORD))
        .anyMatch(
            r -> r.contains(id) && r.contains("\"current\"") && r.contains("imap.example.com"));
    // The connector was asked with the gateway's own service token, not the admin's.
    String sent = FakeSameMailboxResource.AUTHORIZATIONS.getLast();
    assertThat(sent).startsWith("Bearer ").isNotEqualTo("Bearer " + Tokens.of("admin"));
    var claims = Tokens.claims(sent.substring("Bearer ".length()));
    assertThat(claims.path("azp").asText()).isEqualTo("mailroom-gateway");
    assertThat(claims.path("sub").asText()).isNotEqualTo(Tokens.subjectOf("admin"));
    assertThat(claims.path("resource_access").path("mailroom-connector").path("roles").toString())
        .contains("mailbox.compare");
  }

  @Test
  void aNewHostWithoutEncryptionIsA422EvenAcknowledgedAndTheConnectorIsNotAsked() throws Exception {
    String id = create("imap.example.com");
    int asked = FakeSameMailboxResource.REQUESTS.size();
    given()
        .auth()
        .oauth2(Tokens.of("admin"))
        .contentType(ContentType.JSON)
        .body(
            "{\"host\": \"same.example\", \"port\": 143, \"security\": \"none\","
                + " \"acknowledgeNoEncryption\": true}")
        .post("/api/admin/accounts/{id}/host", id)
        .then()
        .statusCode(422)
        .contentType("application/problem+json")
        .body("type", equalTo("urn:mailroom:problem:encryption-required"))
        .body("detail", containsString("tls or starttls"));
    assertThat(FakeSameMailboxResource.REQUESTS).hasSize(asked);
    assertThat(definitions.latest(AccountId.of(id)).orElseThrow().imap().host())
        .isEqualTo("imap.example.com");
  }

  @Test
  void aDifferentMailboxIsA409WithTheReasonAndNothingChanges() throws Exception {
    String id = create("imap.example.com");
    change("admin", id, "other.example")
        .statusCode(409)
        .contentType("application/problem+json")
        .body("type", equalTo("urn:mailroom:problem:different-mailbox"))
        .body("detail", containsString("different mailbox"))
        .body("detail", containsString("connect it as a new account"));
    assertThat(definitions.latest(AccountId.of(id)).orElseThrow().imap().host())
        .isEqualTo("imap.example.com");
  }

  @Test
  void anUnreadableCurrentHostIsA409AndARefusedNewHostA422() throws Exception {
    String gone = create("gone.example");
    change("admin", gone, "same.example")
        .statusCode(409)
        .body("type", equalTo("urn:mailroom:problem:current-host-unreadable"))
        .body("detail", containsString("new account"))
        .body("connection.category", equalTo("HOST_UNREACHABLE"));
    String id = create("imap.example.com");
    change("admin", id, "down.example")
        .statusCode(422)
        .body("type", equalTo("urn:mailroom:problem:connection-failed"))
        .body("connection.category", equalTo("AUTHENTICATION_FAILED"));
    assertThat(definitions.latest(AccountId.of(id)).orElseThrow().imap().host())
        .isEqualTo("imap.example.com");
  }

  @Test
  void badBodiesAre400AndUnknownAccounts404() throws Exception {
    String id = create("imap.example.com");
    given()
        .auth()
        .oauth2(Tokens.of("admin"))
        .contentType(ContentType.JSON)
        .body("{\"host\": \"\", \"port\": 0, \"security\": \"ssl\"}")
        .post("/api/admin/accounts/{id}/host", id)
        .then()
        .statusCode(400)
        .body("type", equalTo("urn:mailroom:problem:invalid-request"))
        .body("errors.field", org.hamcrest.Matchers.hasItems("host", "port", "security"));
    change("admin", UUID.randomUUID().toString(), "same.example").statusCode(404);
    given()
        .contentType(ContentType.JSON)
        .body("{}")
        .post("/api/admin/accounts/{id}/host", id)
        .then()
        .statusCode(401);
  }
}
