package dev.mailroom.connector.attachment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.connector.TestAccounts;
import dev.mailroom.connector.TestDovecot;
import dev.mailroom.connector.session.SessionManager;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.testing.ServiceTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.activation.DataHandler;
import jakarta.inject.Inject;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Part;
import jakarta.mail.Store;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Attachments streamed from the real Dovecot through the connector's internal endpoint, decoded
 * from base64 and quoted-printable, byte for byte; and every way a download is refused, clearly.
 */
@QuarkusTest
class AttachmentDownloadTest {

  /** Not a multiple of the 256 KB chunk, nor of base64's 3-octet groups. */
  static final byte[] BINARY = new byte[3 * 1024 * 1024 + 1001];

  /** CRLF line ends (text in MIME's canonical form, RFC 2045 §6.7), a line past QP's 76. */
  static final byte[] TEXT =
      ("Übersicht für März: Grüße aus Köln — naïve café, 日本語.\r\n"
              + "=equals= and trailing space \r\n"
              + "x".repeat(300)
              + "\r\n")
          .getBytes(StandardCharsets.UTF_8);

  static final String TEXT_NAME = "Übersicht März.txt";

  static AccountId account = AccountId.random();
  static String user;
  static String password = "pw-" + System.nanoTime();
  static long uidValidity;
  static long uid;

  @Inject SessionManager sessions;

  @BeforeAll
  static void mailbox() throws Exception {
    new Random(17).nextBytes(BINARY);
    user = TestDovecot.newUser("attach", password);
    try (Store store = TestDovecot.login(user, password)) {
      IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
      inbox.open(Folder.READ_WRITE);
      inbox.appendMessages(new Message[] {message()});
      uidValidity = inbox.getUIDValidity();
      uid = inbox.getUID(inbox.getMessage(inbox.getMessageCount()));
      inbox.close(false);
    }
  }

  @AfterEach
  void release() {
    sessions.release(account);
  }

  private static MimeMessage message() throws Exception {
    MimeMessage m = new MimeMessage((jakarta.mail.Session) null);
    m.setFrom(new InternetAddress("sender@example.com"));
    m.setSubject("Photos and notes");
    MimeBodyPart body = new MimeBodyPart();
    body.setText("Both attached.\r\n", "utf-8");
    MimeBodyPart binary = new MimeBodyPart();
    binary.setDataHandler(
        new DataHandler(new ByteArrayDataSource(BINARY, "application/octet-stream")));
    binary.setFileName("photo.raw");
    binary.setDisposition(Part.ATTACHMENT);
    binary.setHeader("Content-Transfer-Encoding", "base64");
    MimeBodyPart text = new MimeBodyPart();
    text.setDataHandler(
        new DataHandler(new ByteArrayDataSource(TEXT, "text/plain; charset=utf-8")));
    text.setFileName(TEXT_NAME);
    text.setDisposition(Part.ATTACHMENT);
    text.setHeader("Content-Transfer-Encoding", "quoted-printable");
    m.setContent(new MimeMultipart(body, binary, text));
    m.saveChanges();
    return m;
  }

  @Test
  void base64AndQuotedPrintablePartsStreamByteForByte() {
    sessions.hold(TestAccounts.onDovecot(account, user, password), 0);
    Response binary = download(asGateway(), account, uidValidity, uid, "2");
    assertThat(binary.statusCode()).isEqualTo(200);
    assertThat(binary.contentType()).isEqualTo("application/octet-stream");
    assertThat(binary.header("X-Mailroom-Transfer-Encoding")).isEqualTo("base64");
    assertThat(binary.header("Content-Length")).as("decoded as it streams: chunked").isNull();
    assertThat(binary.asByteArray()).isEqualTo(BINARY);

    Response text = download(asGateway(), account, uidValidity, uid, "3");
    assertThat(text.statusCode()).isEqualTo(200);
    assertThat(text.contentType()).isEqualToIgnoringCase("text/plain; charset=utf-8");
    assertThat(text.header("X-Mailroom-Transfer-Encoding")).isEqualTo("quoted-printable");
    assertThat(text.asByteArray()).isEqualTo(TEXT);

    // 7bit: the server's size is the length, so it is sent ahead.
    Response plain = download(asGateway(), account, uidValidity, uid, "1");
    assertThat(plain.statusCode()).isEqualTo(200);
    assertThat(plain.header("Content-Length")).isEqualTo("16");
    assertThat(plain.asString()).isEqualTo("Both attached.\r\n");
  }

  @Test
  void aDownloadThatCannotBeServedSaysWhy() {
    sessions.hold(TestAccounts.onDovecot(account, user, password), 0);
    assertRefused(download(asGateway(), account, uidValidity, uid, "4"), 404, "no part 4");
    assertRefused(
        download(asGateway(), account, uidValidity, uid, "2.1"), 404, "has no parts inside it");
    assertRefused(download(asGateway(), account, uidValidity + 1, uid, "2"), 410, "UIDVALIDITY");
    assertRefused(download(asGateway(), account, uidValidity, uid + 1000, "2"), 410, "no longer");
    assertRefused(
        download(asGateway(), AccountId.random(), uidValidity, uid, "2"), 421, "not held");
    assertRefused(download(asGateway(), account, uidValidity, uid, "TEXT"), 400, "section");
    assertThat(download(given(), account, uidValidity, uid, "2").statusCode()).isEqualTo(401);
    assertThat(
            download(
                    given().auth().oauth2(ServiceTokens.service("mailroom-sync")),
                    account,
                    uidValidity,
                    uid,
                    "2")
                .statusCode())
        .as("another service's token: not for the connector (401) or without attachments.read")
        .isIn(401, 403);
  }

  private static RequestSpecification asGateway() {
    return given().auth().oauth2(ServiceTokens.gateway());
  }

  private static Response download(
      RequestSpecification request, AccountId id, long uidValidity, long uid, String section) {
    return request
        .queryParam("mailbox", "INBOX")
        .queryParam("uidValidity", uidValidity)
        .queryParam("uid", uid)
        .queryParam("section", section)
        .get("/internal/attachments/" + id);
  }

  private static void assertRefused(Response response, int status, String detail) {
    assertThat(response.statusCode()).as(response.asString()).isEqualTo(status);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(response.jsonPath().getString("detail")).contains(detail);
  }
}
