package dev.mailroom.gateway.account;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.mailroom.events.EventCodec;
import dev.mailroom.gateway.testing.FakeConnectorResource;
import dev.mailroom.gateway.testing.FakeHealthResource;
import dev.mailroom.gateway.testing.FakeSyncResource;
import dev.mailroom.gateway.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The checks before an account is saved, and its status afterwards, through the real Keycloak;
 * connector-service and health-service are answered by fakes (their own tests cover them).
 */
@QuarkusTest
class AccountVerifyTest {

  private static final String PASSWORD = "Verify-canary-7f3a-Tr0ub4dor";

  private static Map<String, Object> fields(String host, String username) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("host", host);
    fields.put("port", 993);
    fields.put("security", "tls");
    fields.put("username", username);
    fields.put("password", PASSWORD);
    return fields;
  }

  private static ValidatableResponse post(Map<String, Object> fields) throws Exception {
    return given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .contentType(ContentType.JSON)
        .body(EventCodec.mapper().writeValueAsString(fields))
        .post("/api/accounts")
        .then();
  }

  @Test
  void aRefusedLoginIsA422WithCategoryRemedyAndTheAppPasswordHintAndNothingIsSaved()
      throws Exception {
    String body =
        post(fields("imap.gmail.com", "wrong-password"))
            .statusCode(422)
            .contentType("application/problem+json")
            .body("type", equalTo("urn:mailroom:problem:connection-failed"))
            .body("connection.category", equalTo("AUTHENTICATION_FAILED"))
            .body("connection.remedy", containsString("myaccount.google.com/apppasswords"))
            .extract()
            .asString();
    assertThat(body).doesNotContain(PASSWORD);
    assertThat(FakeConnectorResource.REQUESTS).isNotEmpty().noneMatch(r -> r.contains(PASSWORD));
  }

  @Test
  void aSelfSignedCertificateIsRefusedWithItsFingerprintAndAcceptedOnceTheOwnerApprovesIt()
      throws Exception {
    post(fields("self-signed.example", "me"))
        .statusCode(422)
        .body("connection.category", equalTo("CERTIFICATE_SELF_SIGNED"))
        .body("connection.certificateSha256", equalTo(FakeConnectorResource.FINGERPRINT));

    Map<String, Object> approved = fields("self-signed.example", "me");
    approved.put("allowCertificateSha256", FakeConnectorResource.FINGERPRINT.toUpperCase());
    post(approved).statusCode(201).body("password", nullValue());
  }

  @Test
  void popProtonMailAndUnacknowledgedClearTextAreRefusedWithTheReason() throws Exception {
    Map<String, Object> pop = fields("pop.example.com", "me");
    pop.put("port", 995);
    post(pop)
        .statusCode(422)
        .body("type", equalTo("urn:mailroom:problem:pop-not-supported"))
        .body("detail", containsString("IMAP"));

    post(fields("imap.example.com", "someone@proton.me"))
        .statusCode(422)
        .body("type", equalTo("urn:mailroom:problem:protonmail-not-supported"))
        .body("detail", containsString("Bridge"));

    Map<String, Object> clear = fields("imap.example.com", "me");
    clear.put("security", "none");
    clear.put("port", 143);
    post(clear)
        .statusCode(422)
        .body("type", equalTo("urn:mailroom:problem:no-encryption-not-acknowledged"));
    clear.put("acknowledgeNoEncryption", true);
    post(clear).statusCode(201);
  }

  @Test
  void presetsAreFoundByDomainWithTheAppPasswordHint() {
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .queryParam("email", "someone@icloud.com")
        .get("/api/presets")
        .then()
        .statusCode(200)
        .body("[0].imap.host", equalTo("imap.mail.me.com"))
        .body("[0].imap.port", equalTo(993))
        .body("[0].smtp.host", equalTo("smtp.mail.me.com"))
        .body("[0].appPassword", containsString("App-Specific Passwords"));
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .get("/api/presets/outlook")
        .then()
        .statusCode(200)
        .body("imap.host", equalTo("outlook.office365.com"));
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .queryParam("email", "me@pm.me")
        .get("/api/presets")
        .then()
        .statusCode(422)
        .body("type", equalTo("urn:mailroom:problem:protonmail-not-supported"));
  }

  @Test
  void theAccountCarriesItsStatusWithTheRemedyAndADisconnectedOneCanBeReconnected() {
    String id = UUID.randomUUID().toString();
    FakeSyncResource.store(id, Tokens.subjectOf("demo"), "Status test");
    FakeHealthResource.HEALTH.put(
        id,
        JsonNodeFactory.instance
            .objectNode()
            .put("state", "disconnected")
            .put("failingSince", "2026-11-26T08:00:00Z")
            .put("lastCategory", "CERTIFICATE_EXPIRED")
            .put("lastDetail", "certificate not valid now"));
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .get("/api/accounts/{id}", id)
        .then()
        .statusCode(200)
        .body("status", equalTo("disconnected"))
        .body("failingSince", equalTo("2026-11-26T08:00:00Z"))
        .body("lastError.category", equalTo("CERTIFICATE_EXPIRED"))
        .body("lastError.remedy", containsString("renew"));

    given()
        .auth()
        .oauth2(Tokens.of("eve"))
        .post("/api/accounts/{id}/reconnect", id)
        .then()
        .statusCode(404);
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .post("/api/accounts/{id}/reconnect", id)
        .then()
        .statusCode(202);
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .post("/api/accounts/{id}/reconnect", id)
        .then()
        .statusCode(409)
        .body("type", equalTo("urn:mailroom:problem:not-disconnected"));
  }
}
