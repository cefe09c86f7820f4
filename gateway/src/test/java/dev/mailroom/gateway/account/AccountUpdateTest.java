package dev.mailroom.gateway.account;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.mailroom.events.EventCodec;
import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.testing.TestKafka;
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
 * The owner's normal update through the real Keycloak and the real broker: accounts are created by
 * POST (the fake connector verifies them), changed by PATCH, and read back from the accounts topic.
 */
@QuarkusTest
class AccountUpdateTest {

  static final String PASSWORD = "Update-canary-91c2-Tr0ub4dor";

  @Inject AccountDefinitions definitions;
  @Inject AccountsConfig accounts;

  @BeforeEach
  void topicExists() {
    try (TestKafka kafka = TestKafka.fromEnvironment()) {
      kafka.createTopic(accounts.topic(), 1);
    }
  }

  /** A new account of {@code user}'s on {@code host}, as POST /api/accounts saves it. */
  static String create(String user, String host) throws Exception {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("displayName", "Before");
    fields.put("email", "before@example.com");
    fields.put("host", host);
    fields.put("port", 993);
    fields.put("security", "tls");
    fields.put("username", "someone-" + UUID.randomUUID());
    fields.put("password", PASSWORD);
    return given()
        .auth()
        .oauth2(Tokens.of(user))
        .contentType(ContentType.JSON)
        .body(EventCodec.mapper().writeValueAsString(fields))
        .post("/api/accounts")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  private static ValidatableResponse patch(String user, String id, String body) {
    return given()
        .auth()
        .oauth2(Tokens.of(user))
        .contentType(ContentType.JSON)
        .body(body)
        .patch("/api/accounts/{id}", id)
        .then();
  }

  @Test
  void theNameAndAddressChangeAndThePasswordIsKeptSealedAsItWas() throws Exception {
    String id = create("demo", "imap.example.com");
    AccountDefined before = definitions.latest(AccountId.of(id)).orElseThrow();

    String body =
        patch("demo", id, "{\"displayName\": \"After\", \"email\": \"\"}")
            .statusCode(200)
            .body("id", equalTo(id))
            .body("displayName", equalTo("After"))
            .body("email", nullValue())
            .body("host", equalTo("imap.example.com"))
            .body("password", nullValue())
            .extract()
            .asString();
    assertThat(body).doesNotContain(PASSWORD);

    AccountDefined after = definitions.latest(AccountId.of(id)).orElseThrow();
    assertThat(after.displayName()).isEqualTo("After");
    assertThat(after.email()).isNull();
    assertThat(after.imap()).isEqualTo(before.imap());
    assertThat(after.password()).isEqualTo(before.password());
    assertThat(after.ownerId()).isEqualTo(before.ownerId());
    assertThat(after.definedAt()).isAfter(before.definedAt());
    assertThat(after.createdAt()).isNotNull().isEqualTo(before.createdAt());
  }

  @Test
  void aNewImapHostIsRefusedWithTheReasonAndNothingChanges() throws Exception {
    String id = create("demo", "imap.example.com");
    AccountDefined before = definitions.latest(AccountId.of(id)).orElseThrow();
    patch("demo", id, "{\"displayName\": \"Moved\", \"host\": \"imap.elsewhere.example\"}")
        .statusCode(409)
        .contentType("application/problem+json")
        .body("type", equalTo("urn:mailroom:problem:host-change-refused"))
        .body("detail", containsString("different mailbox"))
        .body("detail", containsString("new account"));
    assertThat(definitions.latest(AccountId.of(id)).orElseThrow()).isEqualTo(before);

    patch("demo", id, "{\"smtpHost\": \"smtp.example.com\"}")
        .statusCode(409)
        .body("detail", containsString("SMTP host"));
    patch("demo", id, "{\"port\": 143}")
        .statusCode(409)
        .body("detail", containsString("IMAP port"));
  }

  @Test
  void theSameHostSentBackAsItWasIsNotAChange() throws Exception {
    String id = create("demo", "imap.example.com");
    patch(
            "demo",
            id,
            "{\"displayName\": \"Same host\", \"host\": \"IMAP.example.com\", \"port\": 993,"
                + " \"security\": \"tls\"}")
        .statusCode(200)
        .body("displayName", equalTo("Same host"));
  }

  @Test
  void onlyTheOwnerMayUpdateAndOthersCannotTellTheAccountExists() throws Exception {
    String id = create("demo", "imap.example.com");
    String foreign =
        patch("eve", id, "{\"displayName\": \"Mine now\"}")
            .statusCode(404)
            .body("type", equalTo("urn:mailroom:problem:not-found"))
            .extract()
            .path("detail");
    String unknown = UUID.randomUUID().toString();
    patch("eve", unknown, "{\"displayName\": \"x\"}")
        .statusCode(404)
        .body("detail", equalTo(foreign.replace(id, unknown)));
    patch("demo", "not-a-uuid", "{\"displayName\": \"x\"}").statusCode(404);
    given()
        .contentType(ContentType.JSON)
        .body("{}")
        .patch("/api/accounts/{id}", id)
        .then()
        .statusCode(401);
    assertThat(definitions.latest(AccountId.of(id)).orElseThrow().displayName())
        .isEqualTo("Before");
  }

  @Test
  void malformedBodiesAre400Problems() throws Exception {
    String id = create("demo", "imap.example.com");
    patch("demo", id, "{\"displayName\": ")
        .statusCode(400)
        .body("type", equalTo("urn:mailroom:problem:malformed-body"));
    patch("demo", id, "{\"port\": \"abc\"}")
        .statusCode(400)
        .body("errors[0].field", equalTo("port"));
    patch("demo", id, "{\"security\": \"ssl\"}")
        .statusCode(400)
        .body("errors[0].field", equalTo("security"));
    patch("demo", id, "{\"email\": \"not an address\"}")
        .statusCode(400)
        .body("type", equalTo("urn:mailroom:problem:invalid-request"))
        .body("errors[0].field", equalTo("email"));
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .contentType(ContentType.JSON)
        .patch("/api/accounts/{id}", id)
        .then()
        .statusCode(400);
  }
}
