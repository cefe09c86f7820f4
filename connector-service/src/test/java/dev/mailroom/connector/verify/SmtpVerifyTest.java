package dev.mailroom.connector.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.mailroom.connector.TestDovecot;
import dev.mailroom.connector.send.TestPostfix;
import dev.mailroom.events.EventCodec;
import dev.mailroom.events.account.ImapEndpoint;
import dev.mailroom.events.account.Security;
import dev.mailroom.events.account.SmtpEndpoint;
import dev.mailroom.events.crypto.SecretBox;
import dev.mailroom.events.model.AccountId;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The SMTP half of the pre-save check, against the real Postfix of the test run (SASL through
 * Dovecot): the same categories and remedies as IMAP, and the ones only SMTP has.
 */
@QuarkusTest
class SmtpVerifyTest {

  @ConfigProperty(name = "mailroom.credentials.key-id")
  String keyId;

  @ConfigProperty(name = "mailroom.credentials.key")
  String key;

  private static ImapEndpoint imap(String user) {
    return new ImapEndpoint(TestDovecot.HOST, TestDovecot.IMAPS_PORT, Security.TLS, user);
  }

  @Test
  void starttlsAndImplicitTlsAreVerifiedWithTheServersSizeLimit() throws Exception {
    String user = TestDovecot.newUser("smtpverify", "pw-ok");
    for (var smtp :
        new SmtpEndpoint[] {
          new SmtpEndpoint(TestPostfix.HOST, TestPostfix.SUBMISSION_PORT, Security.STARTTLS, user),
          new SmtpEndpoint(TestPostfix.HOST, TestPostfix.SUBMISSIONS_PORT, Security.TLS, user)
        }) {
      verify(user, "pw-ok", smtp, null, TestPostfix.address(user))
          .body("verified", equalTo(true))
          .body("smtpMaxSize", equalTo(10240000));
    }
  }

  @Test
  void aWrongSmtpPasswordIsAuthenticationFailedOnTheSmtpServer() throws Exception {
    String user = TestDovecot.newUser("smtpverify", "imap-right");
    String wrong = "Smtp-Wrong-" + System.nanoTime();
    String body =
        verify(
                user,
                "imap-right",
                new SmtpEndpoint(
                    TestPostfix.HOST, TestPostfix.SUBMISSION_PORT, Security.STARTTLS, user),
                wrong,
                null)
            .body("verified", equalTo(false))
            .body("server", equalTo("smtp"))
            .body("category", equalTo("AUTHENTICATION_FAILED"))
            .body("remedy", containsString("app-specific password"))
            .extract()
            .asString();
    assertThat(body).doesNotContain(wrong);
  }

  @Test
  void anAddressTheServerWillNotSendForIsRelayRefused() throws Exception {
    String user = TestDovecot.newUser("smtpverify", "pw-relay");
    verify(
            user,
            "pw-relay",
            new SmtpEndpoint(
                TestPostfix.HOST, TestPostfix.SUBMISSION_PORT, Security.STARTTLS, user),
            null,
            "someone@example.com")
        .body("verified", equalTo(false))
        .body("server", equalTo("smtp"))
        .body("category", equalTo("RELAY_REFUSED"))
        .body("detail", containsString("Relay access denied"));
  }

  @Test
  void aServerWithoutStarttlsIsRefusedBeforeThePasswordIsSent() throws Exception {
    String user = TestDovecot.newUser("smtpverify", "pw-plain");
    try (ServerSocket server = new ServerSocket(0)) {
      StringBuilder seen = new StringBuilder();
      Thread fake = Thread.ofVirtual().start(() -> noStarttlsServer(server, seen));
      verify(
              user,
              "pw-plain",
              new SmtpEndpoint("localhost", server.getLocalPort(), Security.STARTTLS, user),
              null,
              null)
          .body("verified", equalTo(false))
          .body("category", equalTo("STARTTLS_NOT_OFFERED"))
          .body("remedy", containsString("465"));
      fake.join(5000);
      assertThat(seen.toString()).doesNotContain("AUTH");
    }
  }

  /** Greets, answers EHLO without STARTTLS (but with AUTH), records what the client sends. */
  private static void noStarttlsServer(ServerSocket server, StringBuilder seen) {
    try (Socket s = server.accept()) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
      out.write("220 fake ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
      String line;
      while ((line = in.readLine()) != null) {
        synchronized (seen) {
          seen.append(line).append('\n');
        }
        String reply =
            line.startsWith("EHLO")
                ? "250-fake\r\n250 AUTH PLAIN LOGIN\r\n"
                : line.startsWith("QUIT") ? "221 bye\r\n" : "502 no\r\n";
        out.write(reply.getBytes(StandardCharsets.US_ASCII));
        if (line.startsWith("QUIT")) {
          return;
        }
      }
    } catch (Exception e) {
      // The client hung up: that is the expected end.
    }
  }

  private ValidatableResponse verify(
      String user, String imapPassword, SmtpEndpoint smtp, String smtpPassword, String email)
      throws Exception {
    AccountId id = AccountId.random();
    SecretBox box = SecretBox.of(keyId, Map.of(keyId, key));
    Map<String, Object> request = new HashMap<>();
    request.put("accountId", id);
    request.put("imap", imap(user));
    // Sealed for this account at these endpoints, as the gateway seals them (CredentialBinding).
    request.put("password", box.seal(imapPassword, id, imap(user)));
    request.put("smtp", smtp);
    if (smtpPassword != null) {
      request.put("smtpPassword", box.seal(smtpPassword, id, smtp));
    }
    if (email != null) {
      request.put("email", email);
    }
    return asGateway()
        .contentType(ContentType.JSON)
        .body(EventCodec.mapper().writeValueAsString(request))
        .post("/internal/verify")
        .then()
        .statusCode(200);
  }

  /** As the gateway calls it: with the gateway's own service token (ADR 0007). */
  private static io.restassured.specification.RequestSpecification asGateway() {
    return io.restassured.RestAssured.given()
        .auth()
        .oauth2(dev.mailroom.events.testing.ServiceTokens.gateway());
  }
}
