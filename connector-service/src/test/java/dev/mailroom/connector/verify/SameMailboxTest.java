package dev.mailroom.connector.verify;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.mailroom.connector.TestDovecot;
import dev.mailroom.events.EventCodec;
import dev.mailroom.events.account.ImapEndpoint;
import dev.mailroom.events.account.Security;
import dev.mailroom.events.crypto.SecretBox;
import dev.mailroom.events.model.AccountId;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.net.ServerSocket;
import java.util.Map;
import java.util.Properties;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The host-change check against the real Dovecot of the test run: {@code localhost} and {@code
 * 127.0.0.1} reach the same Dovecot, so they serve the same mailbox. "Another mailbox behind the
 * same user name and password" is an in-process GreenMail server holding that user with other
 * messages. Both servers derive UIDVALIDITY from the mailbox's creation time, so the two INBOXes
 * made within the same second share it: the Message-IDs are what tells them apart then.
 */
@QuarkusTest
class SameMailboxTest {

  static GreenMail otherServer;

  @ConfigProperty(name = "mailroom.credentials.key-id")
  String keyId;

  @ConfigProperty(name = "mailroom.credentials.key")
  String key;

  @BeforeAll
  static void start() {
    otherServer =
        new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAPS).dynamicPort());
    otherServer.start();
  }

  @AfterAll
  static void stop() {
    otherServer.stop();
  }

  @Test
  void anotherNameForTheSameDovecotIsTheSameMailbox() throws Exception {
    String password = "Same-Mailbox-" + System.nanoTime();
    String user = mailboxWithMessages(password, 3);
    String body =
        check(dovecot("localhost", user), dovecot("127.0.0.1", user), user, password)
            .body("outcome", equalTo("SAME"))
            .body("reason", containsString("3 of the newest 3"))
            .extract()
            .asString();
    assertThat(body).doesNotContain(password);
  }

  @Test
  void anotherServerWithTheSameUserAndOtherMessagesIsADifferentMailbox() throws Exception {
    String password = "Other-Mailbox-" + System.nanoTime();
    String user = mailboxWithMessages(password, 2);
    otherServer.setUser(user + "@localhost", user, password);
    Properties props = new Properties();
    props.put("mail.imaps.ssl.trust", "*"); // the test's own setup client, not the connector
    props.put("mail.imaps.ssl.checkserveridentity", "false");
    try (Store other = Session.getInstance(props).getStore("imaps")) {
      other.connect("127.0.0.1", otherServer.getImaps().getPort(), user, password);
      for (int i = 0; i < 2; i++) {
        TestDovecot.append(
            other, "INBOX", "message " + i, "<elsewhere-" + i + "-" + user + "@test>");
      }
    }
    // GreenMail's certificate is self-signed: refused with its fingerprint, as the admin sees it,
    // and accepted once it is the account's pin. The password goes there over TLS only.
    ImapEndpoint proposed =
        new ImapEndpoint("127.0.0.1", otherServer.getImaps().getPort(), Security.TLS, user);
    String fingerprint =
        check(dovecot("localhost", user), proposed, user, password)
            .body("outcome", equalTo("PROPOSED_FAILED"))
            .body("category", equalTo("CERTIFICATE_SELF_SIGNED"))
            .extract()
            .path("certificateSha256");
    check(dovecot("localhost", user), proposed.withPinnedCertificate(fingerprint), user, password)
        .body("outcome", equalTo("DIFFERENT"))
        .body("reason", containsString("different mailbox"))
        .body("reason", containsString("connect it as a new account"));
  }

  @Test
  void anEmptyInboxCannotBeShownToBeTheSame() throws Exception {
    String password = "Empty-Mailbox-" + System.nanoTime();
    String user = TestDovecot.newUser("hostchange", password);
    check(dovecot("localhost", user), dovecot("127.0.0.1", user), user, password)
        .body("outcome", equalTo("DIFFERENT"))
        .body("reason", containsString("no message with a Message-ID"));
  }

  @Test
  void aNewHostThatRefusesTheLoginIsReportedWithTheCategory() throws Exception {
    String password = "Refused-" + System.nanoTime();
    String user = mailboxWithMessages(password, 1);
    ImapEndpoint closed = new ImapEndpoint("127.0.0.1", closedPort(), Security.TLS, user);
    check(dovecot("localhost", user), closed, user, password)
        .body("outcome", equalTo("PROPOSED_FAILED"))
        .body("category", equalTo("HOST_UNREACHABLE"))
        .body("reason", containsString("nothing was changed"));
  }

  @Test
  void anUnreachableCurrentHostIsRefusedRatherThanGuessed() throws Exception {
    String password = "Gone-" + System.nanoTime();
    String user = mailboxWithMessages(password, 1);
    ImapEndpoint gone = new ImapEndpoint("localhost", closedPort(), Security.TLS, user);
    check(gone, dovecot("127.0.0.1", user), user, password)
        .body("outcome", equalTo("CURRENT_FAILED"))
        .body("category", equalTo("HOST_UNREACHABLE"))
        .body("reason", containsString("connect the new host as a new account"));
  }

  @Test
  void aPasswordSealedForAnotherServerDoesNotOpenAndNeitherHostIsLoggedIn() throws Exception {
    String password = "Copied-" + System.nanoTime();
    String user = mailboxWithMessages(password, 1);
    AccountId id = AccountId.random();
    var sealed =
        SecretBox.of(keyId, Map.of(keyId, key))
            .seal(password, id, new ImapEndpoint("imap.example.com", 993, Security.TLS, user));
    post(id, dovecot("localhost", user), dovecot("127.0.0.1", user), sealed, 200)
        .body("outcome", equalTo("CURRENT_FAILED"))
        .body("category", equalTo("CREDENTIALS_UNAVAILABLE"));
  }

  @Test
  void aNewHostWithoutEncryptionIsRefusedBeforeAnyLogin() throws Exception {
    ImapEndpoint clear = new ImapEndpoint("127.0.0.1", TestDovecot.IMAP_PORT, Security.NONE, "one");
    check(dovecot("localhost", "one"), clear, "one", "x", 400);
  }

  @Test
  void differentUsernamesAreA400() throws Exception {
    check(dovecot("localhost", "one"), dovecot("127.0.0.1", "two"), "one", "x", 400);
  }

  private static ImapEndpoint dovecot(String host, String user) {
    return new ImapEndpoint(host, TestDovecot.IMAPS_PORT, Security.TLS, user);
  }

  private static String mailboxWithMessages(String password, int count) throws Exception {
    String user = TestDovecot.newUser("hostchange", password);
    try (Store store = TestDovecot.login(user, password)) {
      for (int i = 0; i < count; i++) {
        TestDovecot.append(store, "INBOX", "message " + i, messageId(user, i));
      }
    }
    return user;
  }

  private static String messageId(String user, int i) {
    return "<hostchange-" + i + "-" + user + "@test>";
  }

  private static int closedPort() throws Exception {
    try (ServerSocket probe = new ServerSocket(0)) {
      return probe.getLocalPort();
    }
  }

  private ValidatableResponse check(
      ImapEndpoint current, ImapEndpoint proposed, String user, String password) throws Exception {
    return check(current, proposed, user, password, 200);
  }

  private ValidatableResponse check(
      ImapEndpoint current, ImapEndpoint proposed, String user, String password, int status)
      throws Exception {
    AccountId id = AccountId.random();
    return post(
        id,
        current,
        proposed,
        SecretBox.of(keyId, Map.of(keyId, key)).seal(password, id, current),
        status);
  }

  private ValidatableResponse post(
      AccountId id,
      ImapEndpoint current,
      ImapEndpoint proposed,
      dev.mailroom.events.model.EncryptedSecret sealed,
      int status)
      throws Exception {
    String json =
        EventCodec.mapper()
            .writeValueAsString(
                Map.of(
                    "accountId", id, "current", current, "proposed", proposed, "password", sealed));
    return asGateway()
        .contentType(ContentType.JSON)
        .body(json)
        .post("/internal/accounts/verify-same-mailbox")
        .then()
        .statusCode(status);
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
