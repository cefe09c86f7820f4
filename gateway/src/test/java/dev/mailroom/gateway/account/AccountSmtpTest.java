package dev.mailroom.gateway.account;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailroom.events.EventCodec;
import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.testing.TestKafka;
import dev.mailroom.gateway.testing.FakeConnectorResource;
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
 * SMTP settings of a new account: sent or taken from the provider's preset, checked by the
 * connector before anything is saved (answered by a fake here; the real check runs in
 * connector-service against Postfix), and the SMTP host as fixed as the IMAP host afterwards.
 */
@QuarkusTest
class AccountSmtpTest {

  private static final String PASSWORD = "Smtp-canary-5d1e-Tr0ub4dor";
  private static final String SMTP_PASSWORD = "Smtp-own-canary-77aa";

  @Inject AccountDefinitions definitions;
  @Inject AccountsConfig accounts;

  @BeforeEach
  void topicExists() {
    try (TestKafka kafka = TestKafka.fromEnvironment()) {
      kafka.createTopic(accounts.topic(), 1);
    }
  }

  private static Map<String, Object> fields(String email, String host) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("email", email);
    fields.put("host", host);
    fields.put("port", 993);
    fields.put("security", "tls");
    fields.put("username", "user-" + UUID.randomUUID());
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
  void thePresetGivesTheSmtpServerAndItIsCheckedWithTheImapLogin() throws Exception {
    Map<String, Object> gmail = fields("someone@gmail.com", "imap.gmail.com");
    String id =
        post(gmail)
            .statusCode(201)
            .body("smtp.host", equalTo("smtp.gmail.com"))
            .body("smtp.port", equalTo(465))
            .body("smtp.security", equalTo("tls"))
            .body("smtp.username", equalTo(gmail.get("username")))
            .body("smtp.savesSentCopy", equalTo(true))
            .extract()
            .path("id");
    JsonNode asked =
        EventCodec.mapper()
            .readTree(
                FakeConnectorResource.REQUESTS.stream()
                    .filter(r -> r.contains((String) gmail.get("username")))
                    .reduce((a, b) -> b)
                    .orElseThrow());
    assertThat(asked.path("smtp").path("host").asText()).isEqualTo("smtp.gmail.com");
    assertThat(asked.path("email").asText()).isEqualTo("someone@gmail.com");
    assertThat(asked.has("smtpPassword")).isFalse();

    AccountDefined saved = definitions.latest(AccountId.of(id)).orElseThrow();
    assertThat(saved.smtp().host()).isEqualTo("smtp.gmail.com");
    assertThat(saved.smtpPassword()).isNull();
  }

  @Test
  void ownSmtpSettingsWithTheirOwnPasswordTravelSealed() throws Exception {
    Map<String, Object> own = fields("me@example.org", "imap.example.org");
    own.put("smtpHost", "smtp.example.org");
    own.put("smtpPort", 587);
    own.put("smtpSecurity", "STARTTLS");
    own.put("smtpUsername", "sender@example.org");
    own.put("smtpPassword", SMTP_PASSWORD);
    String body =
        post(own)
            .statusCode(201)
            .body("smtp.host", equalTo("smtp.example.org"))
            .body("smtp.security", equalTo("starttls"))
            .body("smtp.username", equalTo("sender@example.org"))
            .body("smtp.savesSentCopy", equalTo(false))
            .body("smtpPassword", nullValue())
            .extract()
            .asString();
    assertThat(body).doesNotContain(SMTP_PASSWORD);
    assertThat(FakeConnectorResource.REQUESTS).noneMatch(r -> r.contains(SMTP_PASSWORD));
    AccountDefined saved =
        definitions
            .latest(AccountId.of(EventCodec.mapper().readTree(body).path("id").asText()))
            .orElseThrow();
    assertThat(saved.smtpPassword()).isNotNull().isNotEqualTo(saved.password());
    assertThat(new String(EventCodec.encode(saved))).doesNotContain(SMTP_PASSWORD);
  }

  @Test
  void aRefusedSmtpLoginIsA422NamingTheSmtpServerWithTheAppPasswordHint() throws Exception {
    Map<String, Object> gmail = fields("someone@gmail.com", "imap.gmail.com");
    gmail.put("smtpUsername", "smtp-wrong-password");
    post(gmail)
        .statusCode(422)
        .body("type", equalTo("urn:mailroom:problem:connection-failed"))
        .body("detail", containsString("SMTP server"))
        .body("connection.server", equalTo("smtp"))
        .body("connection.category", equalTo("AUTHENTICATION_FAILED"))
        .body("connection.remedy", containsString("myaccount.google.com/apppasswords"));
  }

  @Test
  void anAddressTheServerWillNotSendForIsA422RelayRefused() throws Exception {
    Map<String, Object> own = fields("me@relay-refused.example", "imap.example.org");
    own.put("smtpHost", "smtp.example.org");
    own.put("smtpPort", 465);
    own.put("smtpSecurity", "tls");
    post(own)
        .statusCode(422)
        .body("connection.category", equalTo("RELAY_REFUSED"))
        .body("connection.server", equalTo("smtp"));
  }

  @Test
  void incompleteOrClearTextSmtpSettingsAreRefusedNamingTheField() throws Exception {
    Map<String, Object> noPort = fields("me@example.org", "imap.example.org");
    noPort.put("smtpHost", "smtp.example.org");
    post(noPort)
        .statusCode(400)
        .body("errors.field", hasItem("smtpPort"))
        .body("errors.field", hasItem("smtpSecurity"));

    Map<String, Object> clear = fields("me@example.org", "imap.example.org");
    clear.put("smtpHost", "smtp.example.org");
    clear.put("smtpPort", 25);
    clear.put("smtpSecurity", "none");
    post(clear)
        .statusCode(422)
        .body("type", equalTo("urn:mailroom:problem:no-encryption-not-acknowledged"))
        .body("detail", containsString("smtpSecurity"));
    clear.put("acknowledgeNoEncryption", true);
    post(clear).statusCode(201).body("smtp.security", equalTo("none"));
  }

  @Test
  void theSmtpHostIsAsFixedAsTheImapHost() throws Exception {
    Map<String, Object> own = fields("me@example.org", "imap.example.org");
    own.put("smtpHost", "smtp.example.org");
    own.put("smtpPort", 465);
    own.put("smtpSecurity", "tls");
    String id = post(own).statusCode(201).extract().path("id");
    patch(id, "{\"smtpHost\": \"smtp.elsewhere.example\"}")
        .statusCode(409)
        .body("type", equalTo("urn:mailroom:problem:host-change-refused"))
        .body("detail", containsString("SMTP host"));
    patch(id, "{\"displayName\": \"Same\", \"smtpHost\": \"SMTP.example.org\"}")
        .statusCode(200)
        .body("smtp.host", equalTo("smtp.example.org"));
    assertThat(definitions.latest(AccountId.of(id)).orElseThrow().smtp().host())
        .isEqualTo("smtp.example.org");
  }

  private static ValidatableResponse patch(String id, String body) {
    return given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .contentType(ContentType.JSON)
        .body(body)
        .patch("/api/accounts/{id}", id)
        .then();
  }
}
