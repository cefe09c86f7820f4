package dev.mailroom.connector.verify;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import dev.mailroom.connector.TestDovecot;
import dev.mailroom.events.EventCodec;
import dev.mailroom.events.account.ImapEndpoint;
import dev.mailroom.events.account.Security;
import dev.mailroom.events.crypto.SecretBox;
import dev.mailroom.events.model.AccountId;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.net.ServerSocket;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The gateway's pre-save check, against the real Dovecot of the test run. */
@QuarkusTest
class CredentialVerifyTest {

  @ConfigProperty(name = "mailroom.credentials.key-id")
  String keyId;

  @ConfigProperty(name = "mailroom.credentials.key")
  String key;

  @Test
  void rightPasswordIsVerifiedWithTheServersCapabilities() throws Exception {
    String password = "Verify-Right-" + System.nanoTime();
    String user = TestDovecot.newUser("verify", password);
    String body =
        verify(
                new ImapEndpoint(TestDovecot.HOST, TestDovecot.IMAPS_PORT, Security.TLS, user),
                password)
            .body("verified", equalTo(true))
            .body("capabilities", hasItem("IMAP4rev1"))
            .extract()
            .asString();
    assertThat(body).doesNotContain(password);
  }

  @Test
  void wrongPasswordComesBackAsAuthenticationFailedWithARemedy() throws Exception {
    String user = TestDovecot.newUser("verify", "the-right-one");
    String wrong = "Verify-Wrong-" + System.nanoTime();
    String body =
        verify(
                new ImapEndpoint(TestDovecot.HOST, TestDovecot.IMAPS_PORT, Security.TLS, user),
                wrong)
            .body("verified", equalTo(false))
            .body("category", equalTo("AUTHENTICATION_FAILED"))
            .body("remedy", notNullValue())
            .extract()
            .asString();
    assertThat(body).contains("app-specific password").doesNotContain(wrong);
  }

  @Test
  void closedPortComesBackAsHostUnreachable() throws Exception {
    int closed;
    try (ServerSocket probe = new ServerSocket(0)) {
      closed = probe.getLocalPort();
    }
    verify(new ImapEndpoint(TestDovecot.HOST, closed, Security.TLS, "someone"), "irrelevant")
        .body("verified", equalTo(false))
        .body("category", equalTo("HOST_UNREACHABLE"));
  }

  @Test
  void theLogOfTheRunNeverHoldsThePassword() throws Exception {
    String password = "Verify-Log-Canary-" + System.nanoTime();
    String user = TestDovecot.newUser("verifylog", password);
    verify(new ImapEndpoint(TestDovecot.HOST, TestDovecot.IMAPS_PORT, Security.TLS, user), password)
        .body("verified", equalTo(true));
    verify(
            new ImapEndpoint(TestDovecot.HOST, TestDovecot.IMAPS_PORT, Security.TLS, user),
            password + "-wrong")
        .body("verified", equalTo(false));
    java.nio.file.Path log = java.nio.file.Path.of("target", "connector-test.log");
    assertThat(java.nio.file.Files.readString(log)).contains("verified").doesNotContain(password);
  }

  @Test
  void aPasswordSealedForAnotherEndpointDoesNotOpenAndNobodyLogsIn() throws Exception {
    String password = "Verify-Copied-" + System.nanoTime();
    String user = TestDovecot.newUser("verify", password);
    AccountId id = AccountId.random();
    ImapEndpoint sealedFor = new ImapEndpoint("imap.example.com", 993, Security.TLS, user);
    var sealed = SecretBox.of(keyId, Map.of(keyId, key)).seal(password, id, sealedFor);
    // Copied from the accounts topic and sent with another host: the attacker's own server here.
    post(id, new ImapEndpoint(TestDovecot.HOST, TestDovecot.IMAPS_PORT, Security.TLS, user), sealed)
        .body("verified", equalTo(false))
        .body("category", equalTo("CREDENTIALS_UNAVAILABLE"));
    // Sealed the old way (account id alone), it names no endpoint and is refused as well.
    var unbound = SecretBox.of(keyId, Map.of(keyId, key)).seal(password, id.toString());
    post(
            id,
            new ImapEndpoint(TestDovecot.HOST, TestDovecot.IMAPS_PORT, Security.TLS, user),
            unbound)
        .body("verified", equalTo(false))
        .body("category", equalTo("CREDENTIALS_UNAVAILABLE"));
  }

  private io.restassured.response.ValidatableResponse verify(ImapEndpoint imap, String password)
      throws Exception {
    AccountId id = AccountId.random();
    return post(id, imap, SecretBox.of(keyId, Map.of(keyId, key)).seal(password, id, imap));
  }

  private io.restassured.response.ValidatableResponse post(
      AccountId id, ImapEndpoint imap, dev.mailroom.events.model.EncryptedSecret sealed)
      throws Exception {
    String json =
        EventCodec.mapper()
            .writeValueAsString(Map.of("accountId", id, "imap", imap, "password", sealed));
    return asGateway()
        .contentType(ContentType.JSON)
        .body(json)
        .post("/internal/verify")
        .then()
        .statusCode(200);
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
