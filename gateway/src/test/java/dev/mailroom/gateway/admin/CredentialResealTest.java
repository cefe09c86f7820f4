package dev.mailroom.gateway.admin;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.events.account.ImapEndpoint;
import dev.mailroom.events.account.Security;
import dev.mailroom.events.crypto.CredentialBinding;
import dev.mailroom.events.crypto.SecretBox;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.testing.TestKafka;
import dev.mailroom.gateway.account.AccountDefinitions;
import dev.mailroom.gateway.account.AccountEventPublisher;
import dev.mailroom.gateway.account.AccountsConfig;
import dev.mailroom.gateway.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Key rotation and the migration to endpoint binding, through the real broker and Keycloak: the
 * test profile's active key is test-1 and test-0 is retired (application.properties).
 */
@QuarkusTest
class CredentialResealTest {

  private static final String RETIRED_KEY = "q5kG0c3mZ2qzI0kz6Cq0fU9x0mXWk3d3m7r0a1b2c3Q=";

  @Inject AccountDefinitions definitions;
  @Inject AccountsConfig accounts;
  @Inject AccountEventPublisher publisher;
  @Inject SecretBox secrets;

  @ConfigProperty(name = "mailroom.credentials.key")
  String activeKey;

  @BeforeEach
  void topicExists() {
    try (TestKafka kafka = TestKafka.fromEnvironment()) {
      kafka.createTopic(accounts.topic(), 1);
    }
  }

  @Test
  void everyPasswordIsSealedAnewWithTheActiveKeyForItsEndpointOnceOnly() {
    // One sealed with the retired key, one sealed before endpoint binding (account id alone), one
    // with a key nobody holds any more.
    AccountId rotated = AccountId.random();
    AccountId unbound = AccountId.random();
    AccountId lost = AccountId.random();
    publisher.publish(
        definition(
            rotated,
            SecretBox.of("test-0", Map.of("test-0", RETIRED_KEY))
                .seal("pw-rotated", rotated, endpoint(rotated))));
    publisher.publish(
        definition(
            unbound,
            SecretBox.of("test-1", Map.of("test-1", activeKey))
                .seal("pw-unbound", CredentialBinding.accountOnly(unbound))));
    publisher.publish(
        definition(
            lost,
            SecretBox.of("gone-9", Map.of("gone-9", RETIRED_KEY))
                .seal("pw-lost", lost, endpoint(lost))));

    String body =
        reseal()
            .body("activeKeyId", equalTo("test-1"))
            .body("unopenable", hasItem(lost.toString()))
            .extract()
            .asString();
    assertThat(body).doesNotContain("pw-");

    for (var entry : Map.of(rotated, "pw-rotated", unbound, "pw-unbound").entrySet()) {
      AccountDefined after = definitions.latest(entry.getKey()).orElseThrow();
      assertThat(after.password().keyId()).isEqualTo("test-1");
      assertThat(secrets.open(after.password(), after.accountId(), after.imap()))
          .isEqualTo(entry.getValue());
      assertThat(secrets.isCurrent(after)).isTrue();
    }
    // A second run finds them current and publishes nothing new for them.
    Instant definedAt = definitions.latest(rotated).orElseThrow().definedAt();
    reseal()
        .body("unopenable", hasItem(lost.toString()))
        .body("unopenable", not(hasItem(rotated.toString())));
    assertThat(definitions.latest(rotated).orElseThrow().definedAt()).isEqualTo(definedAt);
  }

  @Test
  void onlyAnAdminMayReseal() {
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .post("/api/admin/credentials/reseal")
        .then()
        .statusCode(403);
    given().post("/api/admin/credentials/reseal").then().statusCode(401);
  }

  private static io.restassured.response.ValidatableResponse reseal() {
    return given()
        .auth()
        .oauth2(Tokens.of("admin"))
        .post("/api/admin/credentials/reseal")
        .then()
        .statusCode(200);
  }

  private static ImapEndpoint endpoint(AccountId id) {
    return new ImapEndpoint("imap.example.com", 993, Security.TLS, "user-" + id);
  }

  private static AccountDefined definition(
      AccountId id, dev.mailroom.events.model.EncryptedSecret password) {
    Instant now = Instant.now();
    return new AccountDefined(id, "owner-reseal", null, null, endpoint(id), password, now, now);
  }
}
