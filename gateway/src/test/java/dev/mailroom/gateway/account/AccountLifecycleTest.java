package dev.mailroom.gateway.account;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.mailroom.events.crypto.SecretBox;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.gateway.testing.FakeConnectorResource;
import dev.mailroom.gateway.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * DELETE, PUT .../password and PUT .../certificate against the real Kafka (the accounts topic is
 * read back through {@link AccountDefinitions}) and Keycloak of the test stack, with the fakes
 * answering as the connector and sync-service.
 */
@QuarkusTest
class AccountLifecycleTest {

  private static final String NEW_FINGERPRINT =
      "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9";

  @Inject AccountDefinitions definitions;
  @Inject SecretBox secrets;

  @AfterEach
  void certificateAsItWas() {
    FakeConnectorResource.presented = FakeConnectorResource.FINGERPRINT;
  }

  private static String create(String user, String host, String pin) {
    String body =
        """
        {"displayName": "Lifecycle", "host": "%s", "port": 993, "security": "tls",
         "username": "life@example.com", "password": "first-password"%s}"""
            .formatted(host, pin == null ? "" : ", \"allowCertificateSha256\": \"" + pin + "\"");
    return given()
        .auth()
        .oauth2(Tokens.of(user))
        .contentType(ContentType.JSON)
        .body(body)
        .post("/api/accounts")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  @Test
  void deleteRemovesTheAccountFromTheTopicAndTheListWithinTheAnswer() {
    String id = create("demo", "imap.example.com", null);
    String demo = Tokens.of("demo");
    given().auth().oauth2(demo).get("/api/accounts").then().body("id", hasItem(id));

    // Someone else's account: the same 404 as for one that does not exist, and nothing deleted.
    given().auth().oauth2(Tokens.of("eve")).delete("/api/accounts/" + id).then().statusCode(404);
    assertThat(definitions.latest(AccountId.of(id))).isPresent();

    given().auth().oauth2(demo).delete("/api/accounts/" + id).then().statusCode(202);
    assertThat(definitions.latest(AccountId.of(id))).as("a tombstone is the last record").isEmpty();
    given()
        .auth()
        .oauth2(demo)
        .get("/api/accounts")
        .then()
        .statusCode(200)
        .body("id", not(hasItem(id)));
    given().auth().oauth2(demo).get("/api/accounts/" + id).then().statusCode(404);
    given().auth().oauth2(demo).delete("/api/accounts/" + id).then().statusCode(404);
    given().delete("/api/accounts/" + id).then().statusCode(401);
  }

  @Test
  void aNewPasswordReplacesTheOldOnlyOnceTheServerTookIt() {
    String id = create("demo", "imap.example.com", null);
    String demo = Tokens.of("demo");
    var before = definitions.latest(AccountId.of(id)).orElseThrow().password();

    given()
        .auth()
        .oauth2(demo)
        .contentType(ContentType.JSON)
        .body("{\"password\": \"" + FakeConnectorResource.REFUSED_PASSWORD + "\"}")
        .put("/api/accounts/" + id + "/password")
        .then()
        .statusCode(422)
        .body("connection.category", equalTo("AUTHENTICATION_FAILED"))
        .body(not(containsString(FakeConnectorResource.REFUSED_PASSWORD)));
    assertThat(definitions.latest(AccountId.of(id)).orElseThrow().password()).isEqualTo(before);

    given()
        .auth()
        .oauth2(demo)
        .contentType(ContentType.JSON)
        .body("{\"password\": \"second-password\"}")
        .put("/api/accounts/" + id + "/password")
        .then()
        .statusCode(200)
        .body("id", equalTo(id))
        .body(not(containsString("second-password")));
    var after = definitions.latest(AccountId.of(id)).orElseThrow();
    assertThat(secrets.open(after.password(), AccountId.of(id), after.imap()))
        .isEqualTo("second-password");

    given()
        .auth()
        .oauth2(Tokens.of("eve"))
        .contentType(ContentType.JSON)
        .body("{\"password\": \"eves-password\"}")
        .put("/api/accounts/" + id + "/password")
        .then()
        .statusCode(404);
    given()
        .auth()
        .oauth2(demo)
        .contentType(ContentType.JSON)
        .body("{}")
        .put("/api/accounts/" + id + "/password")
        .then()
        .statusCode(400)
        .body("errors.field", hasItem("password"));
  }

  /** It used to answer 200 and keep the old password without a word. */
  @Test
  void aPatchWithAPasswordIsRefusedAndPointsToThePasswordEndpoint() {
    String id = create("demo", "imap.example.com", null);
    var before = definitions.latest(AccountId.of(id)).orElseThrow();
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .contentType(ContentType.JSON)
        .body("{\"displayName\": \"Renamed\", \"password\": \"patched-password\"}")
        .patch("/api/accounts/" + id)
        .then()
        .statusCode(400)
        .body("errors.field", hasItem("password"))
        .body("detail", containsString("PUT /api/accounts/{id}/password"))
        .body(not(containsString("patched-password")));
    assertThat(definitions.latest(AccountId.of(id)).orElseThrow()).isEqualTo(before);
  }

  @Test
  void aRotatedSelfSignedCertificateIsApprovedOnlyWithTheFingerprintTheServerPresents() {
    String id = create("demo", "self-signed.example", FakeConnectorResource.FINGERPRINT);
    FakeConnectorResource.presented = NEW_FINGERPRINT; // the server's certificate was renewed
    String demo = Tokens.of("demo");

    // Approving the old one again does not help: the problem shows the new fingerprint.
    given()
        .auth()
        .oauth2(demo)
        .contentType(ContentType.JSON)
        .body("{\"certificateSha256\": \"" + FakeConnectorResource.FINGERPRINT + "\"}")
        .put("/api/accounts/" + id + "/certificate")
        .then()
        .statusCode(422)
        .body("connection.category", equalTo("CERTIFICATE_SELF_SIGNED"))
        .body("connection.certificateSha256", equalTo(NEW_FINGERPRINT));
    assertThat(definitions.latest(AccountId.of(id)).orElseThrow().imap().pinnedCertificateSha256())
        .isEqualTo(FakeConnectorResource.FINGERPRINT);

    given()
        .auth()
        .oauth2(demo)
        .contentType(ContentType.JSON)
        .body("{\"certificateSha256\": \"" + NEW_FINGERPRINT.toUpperCase() + "\"}")
        .put("/api/accounts/" + id + "/certificate")
        .then()
        .statusCode(200);
    assertThat(definitions.latest(AccountId.of(id)).orElseThrow().imap().pinnedCertificateSha256())
        .isEqualTo(NEW_FINGERPRINT);
    given()
        .auth()
        .oauth2(demo)
        .contentType(ContentType.JSON)
        .body("{\"certificateSha256\": \"not-hex\"}")
        .put("/api/accounts/" + id + "/certificate")
        .then()
        .statusCode(400);
  }
}
