package dev.mailroom.gateway.send;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailroom.events.EventCodec;
import dev.mailroom.events.testing.TestKafka;
import dev.mailroom.gateway.account.AccountsConfig;
import dev.mailroom.gateway.testing.FakeCommandStoreResource;
import dev.mailroom.gateway.testing.FakeSyncResource;
import dev.mailroom.gateway.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * POST /api/accounts/{id}/outbox through the real Keycloak, with sync-service's outbox answered by
 * a fake that keeps what it was given: what is refused (and so never queued), and what the queued
 * MIME holds. Sending itself is tested in connector-service against Postfix.
 */
@QuarkusTest
class OutboxApiTest {

  @Inject AccountsConfig accounts;

  @BeforeEach
  void topicExists() {
    try (TestKafka kafka = TestKafka.fromEnvironment()) {
      kafka.createTopic(accounts.topic(), 1);
    }
  }

  private static String account(String smtpHost) throws Exception {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("displayName", "Support");
    fields.put("email", "support@example.org");
    fields.put("host", "imap.example.org");
    fields.put("port", 993);
    fields.put("security", "tls");
    fields.put("username", "user-" + UUID.randomUUID());
    fields.put("password", "pw");
    if (smtpHost != null) {
      fields.put("smtpHost", smtpHost);
      fields.put("smtpPort", 465);
      fields.put("smtpSecurity", "tls");
    }
    String id =
        given()
            .auth()
            .oauth2(Tokens.of("demo"))
            .contentType(ContentType.JSON)
            .body(EventCodec.mapper().writeValueAsString(fields))
            .post("/api/accounts")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    // The store (its fake) lists the account once created (read your own writes): with a Sent
    // mailbox, where the copy goes, unless a test takes it away.
    FakeSyncResource.WITH_SENT.add(id);
    sentRole(id, "Sent", "special-use");
    return id;
  }

  /** sync-service's roles answer for the account: Sent played by {@code path}. */
  private static void sentRole(String id, String path, String source) {
    var roles = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    roles
        .putObject("roles")
        .putObject("sent")
        .put("path", path)
        .put("source", source)
        .put("guessed", false);
    roles.putArray("unmapped");
    FakeCommandStoreResource.ROLES.put(id, roles);
  }

  private static Map<String, Object> message() {
    Map<String, Object> m = new HashMap<>();
    m.put("to", List.of("Alice <alice@example.net>"));
    m.put("cc", List.of("carol@example.net"));
    m.put("bcc", List.of("hidden@example.net"));
    m.put("subject", "Quarterly report");
    m.put("text", "Please find it attached.\n");
    return m;
  }

  private static ValidatableResponse send(String id, Map<String, Object> body, String key)
      throws Exception {
    var request =
        given()
            .auth()
            .oauth2(Tokens.of("demo"))
            .contentType(ContentType.JSON)
            .body(EventCodec.mapper().writeValueAsString(body));
    if (key != null) {
      request = request.header("Idempotency-Key", key);
    }
    return request.post("/api/accounts/{id}/outbox", id).then();
  }

  private static MimeMessage queuedMime(String outboxId) throws Exception {
    JsonNode queued = FakeSyncResource.OUTBOX.get(outboxId);
    return new MimeMessage(
        Session.getInstance(new java.util.Properties()),
        new ByteArrayInputStream(queued.path("mime").binaryValue()));
  }

  @Test
  void aMessageWithAnAttachmentIsBuiltAndQueuedWithBccOnlyInTheEnvelope() throws Exception {
    String id = account("smtp.example.org");
    byte[] pdf = new byte[3000];
    new java.util.Random(7).nextBytes(pdf);
    Map<String, Object> body = message();
    body.put(
        "attachments",
        List.of(
            Map.of(
                "filename",
                "report.pdf",
                "contentType",
                "application/pdf",
                "content",
                Base64.getEncoder().encodeToString(pdf))));
    String outboxId =
        send(id, body, null).statusCode(202).body("state", equalTo("queued")).extract().path("id");

    JsonNode queued = FakeSyncResource.OUTBOX.get(outboxId);
    assertThat(queued.path("envelopeFrom").asText()).isEqualTo("support@example.org");
    List<String> recipients = new ArrayList<>();
    queued.path("recipients").forEach(r -> recipients.add(r.asText()));
    assertThat(recipients)
        .containsExactly("alice@example.net", "carol@example.net", "hidden@example.net");
    MimeMessage mime = queuedMime(outboxId);
    assertThat(mime.getHeader("Bcc")).isNull();
    assertThat(new String(queued.path("mime").binaryValue())).doesNotContain("hidden@example.net");
    assertThat(mime.getMessageID())
        .isEqualTo(queued.path("messageId").asText())
        .endsWith("@example.org>");
    assertThat(mime.getSubject()).isEqualTo("Quarterly report");
    Multipart parts = (Multipart) mime.getContent();
    Part file = parts.getBodyPart(1);
    assertThat(file.getFileName()).isEqualTo("report.pdf");
    assertThat(file.getInputStream().readAllBytes()).isEqualTo(pdf);
  }

  @Test
  void headerInjectionBadAddressesAndTooManyRecipientsAre400sNamingTheFieldAndNothingIsQueued()
      throws Exception {
    String id = account("smtp.example.org");
    int before = FakeSyncResource.OUTBOX.size();

    Map<String, Object> injected = message();
    injected.put("subject", "Hello\r\nBcc: victim@example.net");
    send(id, injected, null).statusCode(400).body("errors.field", hasItem("subject"));

    Map<String, Object> injectedTo = message();
    injectedTo.put("to", List.of("alice@example.net\r\nBcc: victim@example.net"));
    send(id, injectedTo, null).statusCode(400).body("errors.field", hasItem("to[0]"));

    Map<String, Object> injectedFile = message();
    injectedFile.put(
        "attachments", List.of(Map.of("filename", "a.txt\nX-Evil: 1", "content", "YQ==")));
    send(id, injectedFile, null)
        .statusCode(400)
        .body("errors.field", hasItem("attachments[0].filename"));

    Map<String, Object> bad = message();
    bad.put("cc", List.of("not an address", "two@example.net, three@example.net"));
    send(id, bad, null)
        .statusCode(400)
        .body("errors.field", hasItem("cc[0]"))
        .body("errors.field", hasItem("cc[1]"));

    Map<String, Object> many = message();
    List<String> to = new ArrayList<>();
    for (int i = 0; i < 101; i++) {
      to.add("r" + i + "@example.net");
    }
    many.put("to", to);
    send(id, many, null).statusCode(400).body("errors.field", hasItem("to"));

    assertThat(FakeSyncResource.OUTBOX.size()).isEqualTo(before);
  }

  @Test
  void aMessageAboveTheServersSizeIsRefusedNamingTheAttachments() throws Exception {
    String id = account("small.example"); // the fake connector reports SIZE 50000 for it
    Map<String, Object> body = message();
    body.put(
        "attachments",
        List.of(
            Map.of(
                "filename",
                "big.bin",
                "content",
                Base64.getEncoder().encodeToString(new byte[60_000]))));
    send(id, body, null)
        .statusCode(400)
        .body("errors.field", hasItem("attachments"))
        .body("errors.message", hasItem(org.hamcrest.Matchers.containsString("50000")));
  }

  @Test
  void aRetriedRequestWithTheSameIdempotencyKeyGetsTheFirstMessage() throws Exception {
    String id = account("smtp.example.org");
    String key = "retry-" + UUID.randomUUID();
    String first = send(id, message(), key).statusCode(202).extract().path("id");
    int queued = FakeSyncResource.OUTBOX.size();
    send(id, message(), key)
        .statusCode(202)
        .header("Idempotent-Replayed", "true")
        .body("id", equalTo(first));
    assertThat(FakeSyncResource.OUTBOX.size()).isEqualTo(queued);
  }

  @Test
  void aReplyCarriesInReplyToAndReferencesFromTheStoredMessage() throws Exception {
    String id = account("smtp.example.org");
    String identity = "mid:" + UUID.randomUUID();
    var parent =
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
            .objectNode()
            .put("messageId", "<parent@example.net>");
    parent.putArray("references").add("<root@example.net>").add("<middle@example.net>");
    FakeSyncResource.MESSAGES.put(identity, parent);
    Map<String, Object> reply = message();
    reply.put("inReplyTo", identity);
    String outboxId = send(id, reply, null).statusCode(202).extract().path("id");
    MimeMessage mime = queuedMime(outboxId);
    assertThat(mime.getHeader("In-Reply-To", null)).isEqualTo("<parent@example.net>");
    assertThat(mime.getHeader("References", " ").replaceAll("\\s+", " "))
        .isEqualTo("<root@example.net> <middle@example.net> <parent@example.net>");

    reply.put("inReplyTo", "mid:unknown");
    send(id, reply, null).statusCode(400).body("errors.field", hasItem("inReplyTo"));
  }

  @Test
  void attachmentsComeAsFilesInAMultipartForm() throws Exception {
    String id = account("smtp.example.org");
    byte[] csv = "a,b\n1,2\n".getBytes();
    String outboxId =
        given()
            .auth()
            .oauth2(Tokens.of("demo"))
            .multiPart("to", "alice@example.net")
            .multiPart("to", "bob@example.net")
            .multiPart("subject", "Numbers")
            .multiPart("text", "Attached.")
            .multiPart("attachment", "numbers.csv", csv, "text/csv")
            .post("/api/accounts/{id}/outbox", id)
            .then()
            .statusCode(202)
            .extract()
            .path("id");
    MimeMessage mime = queuedMime(outboxId);
    assertThat(mime.getRecipients(jakarta.mail.Message.RecipientType.TO)).hasSize(2);
    Part file = ((Multipart) mime.getContent()).getBodyPart(1);
    assertThat(file.getFileName()).isEqualTo("numbers.csv");
    assertThat(file.getInputStream().readAllBytes()).isEqualTo(csv);
  }

  @Test
  void withoutASentMailboxNothingIsQueuedAndTheProblemNamesSent() throws Exception {
    String id = account("smtp.example.org");
    // The fake store lists only INBOX for this account, and no mailbox plays Sent.
    FakeSyncResource.WITH_SENT.remove(id);
    FakeCommandStoreResource.ROLES.remove(id);
    FakeSyncResource.store(id, "someone", "Support");
    int before = FakeSyncResource.OUTBOX.size();
    send(id, message(), null)
        .statusCode(409)
        .body("type", equalTo("urn:mailroom:problem:mailboxes-not-configured"))
        .body("detail", org.hamcrest.Matchers.containsString("sent"))
        .body("detail", org.hamcrest.Matchers.containsString("/roles"));
    assertThat(FakeSyncResource.OUTBOX.size()).isEqualTo(before);
    FakeSyncResource.ACCOUNTS.remove(id);
  }

  @Test
  void theCopyGoesWhereTheOwnerMappedSent() throws Exception {
    String id = account("smtp.example.org");
    // "Sent" exists (SPECIAL-USE), but the owner chose "Gesendet": the owner's mapping wins.
    sentRole(id, "Gesendet", "owner");
    String outboxId = send(id, message(), null).statusCode(202).extract().path("id");
    assertThat(FakeSyncResource.OUTBOX.get(outboxId).path("sentMailbox").asText())
        .isEqualTo("Gesendet");
  }

  @Test
  void onlyTheOwnerMaySendOrReadTheOutbox() throws Exception {
    String id = account("smtp.example.org");
    send(id, message(), null).statusCode(202); // the owner's send also fills the definition cache
    given()
        .auth()
        .oauth2(Tokens.of("eve"))
        .contentType(ContentType.JSON)
        .body(EventCodec.mapper().writeValueAsString(message()))
        .post("/api/accounts/{id}/outbox", id)
        .then()
        .statusCode(404);
    given()
        .auth()
        .oauth2(Tokens.of("eve"))
        .get("/api/accounts/{id}/outbox", id)
        .then()
        .statusCode(404);
  }

  @Test
  void anAccountWithoutSmtpCannotSend() throws Exception {
    String id = account(null);
    send(id, message(), null)
        .statusCode(409)
        .body("type", equalTo("urn:mailroom:problem:sending-not-configured"));
  }
}
