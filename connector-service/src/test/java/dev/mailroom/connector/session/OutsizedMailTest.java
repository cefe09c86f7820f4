package dev.mailroom.connector.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.connector.MailTopic;
import dev.mailroom.connector.TestDovecot;
import dev.mailroom.connector.checkpoint.MailboxState;
import dev.mailroom.connector.imap.ImapConnector;
import dev.mailroom.connector.publish.EventPublisher;
import dev.mailroom.events.MailroomEvent;
import dev.mailroom.events.account.ImapEndpoint;
import dev.mailroom.events.account.Security;
import dev.mailroom.events.mail.MailboxStatus;
import dev.mailroom.events.mail.MessageAdded;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.testing.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.activation.DataHandler;
import jakarta.inject.Inject;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.util.ByteArrayDataSource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Mail as it comes, not as a test would write it: hundreds of recipients with RFC 2047 names, a
 * long References chain, a subject longer than a header line may be, a quoted-printable text beyond
 * the bound, HTML with an inline image, an RFC 2231 file name, an attached message, in a folder
 * whose name is modified UTF-7 on the wire. Every such message reaches Kafka with what it had to
 * cut named in {@code truncated}; and a broker that refuses an event as too large gets it again
 * without its text, or a {@code message.skipped} with the reason, never nothing.
 */
@QuarkusTest
class OutsizedMailTest {

  static final TestKafka kafka = TestKafka.shared();

  @Inject EventPublisher publisher;
  @Inject ImapConnector connector;

  @ConfigProperty(name = "mailroom.topic.mail")
  String mailTopic;

  @Test
  void anOutsizedMessageArrivesCappedAndSaysWhatWasCut() throws Exception {
    String password = "pw-" + System.nanoTime();
    String user = TestDovecot.newUser("outsized", password);
    String root = "<root-0@example.com>";
    String folderName;
    try (Store client = TestDovecot.login(user, password)) {
      // Nested with the server's own delimiter ("." for Dovecot's Maildir++, "/" elsewhere).
      folderName = "Projekte" + client.getDefaultFolder().getSeparator() + "\u00dcberblick";
      append(client, folderName, outsized(root));
    }
    AccountId id = AccountId.random();
    MailboxSync sync = new MailboxSync(id, publisher, Clock.systemUTC(), 100, 2_097_152, 4096);
    IMAPStore store = connect(user, password);
    try {
      sync.sync((IMAPFolder) store.getFolder(folderName), null, ServerChanges.Path.QRESYNC);
    } finally {
      store.close();
    }
    List<MailroomEvent> events =
        MailTopic.read(
            kafka,
            mailTopic,
            id,
            seen -> !MailTopic.of(seen, MailboxStatus.class).isEmpty(),
            Duration.ofSeconds(20));
    MessageAdded m = MailTopic.of(events, MessageAdded.class).getFirst();
    assertThat(m.mailbox().value()).isEqualTo(folderName);
    assertThat(m.subject()).hasSize(998).startsWith("Gr\u00fc\u00dfe aus M\u00fcnchen");
    assertThat(m.from())
        .singleElement()
        .satisfies(a -> assertThat(a.name()).isEqualTo("J\u00fcrgen M\u00fcller"));
    assertThat(m.to()).hasSize(100);
    assertThat(m.to().getFirst().name()).isEqualTo("Empf\u00e4nger 0");
    assertThat(m.cc()).hasSize(3);
    assertThat(m.references()).hasSize(50);
    assertThat(m.references().getFirst()).as("the thread's root stays").isEqualTo(root);
    assertThat(m.references().getLast())
        .as("the nearest parent stays")
        .isEqualTo("<ref-119@example.com>");
    assertThat(m.textBody())
        .as("cut at the bound, decoded")
        .hasSizeLessThanOrEqualTo(4096)
        .startsWith("Sch\u00f6ne Gr\u00fc\u00dfe")
        .doesNotContain("=C3");
    assertThat(m.htmlBody()).isNull();
    assertThat(m.snippet()).startsWith("Sch\u00f6ne Gr\u00fc\u00dfe");
    assertThat(m.attachments())
        .extracting(MessageAdded.Attachment::filename)
        .contains("\u00dcberblick Q3 \u2013 Entw\u00fcrfe.pdf", "logo.png");
    assertThat(m.attachments())
        .filteredOn(a -> "\u00dcberblick Q3 \u2013 Entw\u00fcrfe.pdf".equals(a.filename()))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.contentType()).isEqualTo("application/pdf");
              assertThat(a.size()).isGreaterThan(300_000);
            });
    assertThat(m.truncated()).containsExactlyInAnyOrder("subject", "to", "references", "textBody");
  }

  /**
   * A topic may take less than the producer allows (its {@code max.message.bytes} set below the
   * producer's {@code max.request.size}). It stays above the producer's {@code batch.size} (256 KB)
   * here: below it, Kafka 4.4's producer splits a refused batch into batches of the same size again
   * and again until its network thread dies of a StackOverflowError, which the deployment's topic
   * settings must never allow (docs/topics.md).
   */
  @Test
  void anEventTheBrokerRefusesAsTooLargeIsSentAgainWithoutItsText() throws Exception {
    String password = "pw-" + System.nanoTime();
    String user = TestDovecot.newUser("refused", password);
    try (Store client = TestDovecot.login(user, password)) {
      MimeMessage longText = base("long text", "<long-text@example.com>");
      longText.setText("Lorem ipsum dolor sit amet. ".repeat(25_000), "utf-8"); // 700 KB
      append(client, "INBOX", longText);
      MimeMessage small = base("small", "<small@example.com>");
      small.setText("short\n", "utf-8");
      append(client, "INBOX", small);
    }
    AccountId id = AccountId.random();
    // A bound of 800 KB lets the text make the event about 700 KB; the topic takes 600 KB.
    MailboxSync sync = new MailboxSync(id, publisher, Clock.systemUTC(), 100, 2_097_152, 800_000);
    MailboxState state;
    kafka.createTopic(mailTopic, 3);
    kafka.setTopicConfig(mailTopic, "max.message.bytes", "600000");
    IMAPStore store = connect(user, password);
    try {
      state = sync.sync((IMAPFolder) store.getFolder("INBOX"), null, ServerChanges.Path.QRESYNC);
    } finally {
      store.close();
      kafka.setTopicConfig(mailTopic, "max.message.bytes", null);
    }
    List<MailroomEvent> events =
        MailTopic.read(
            kafka,
            mailTopic,
            id,
            seen -> !MailTopic.of(seen, MailboxStatus.class).isEmpty(),
            Duration.ofSeconds(30));
    List<MessageAdded> added = MailTopic.of(events, MessageAdded.class);
    assertThat(added)
        .extracting(MessageAdded::subject)
        .containsExactlyInAnyOrder("long text", "small");
    MessageAdded slim =
        added.stream().filter(m -> m.subject().equals("long text")).findFirst().orElseThrow();
    assertThat(slim.textBody()).isNull();
    assertThat(slim.truncated()).contains("textBody");
    assertThat(slim.snippet()).startsWith("Lorem ipsum");
    assertThat(
            added.stream()
                .filter(m -> m.subject().equals("small"))
                .findFirst()
                .orElseThrow()
                .textBody())
        .isEqualTo("short\n");
    assertThat(state.known().uids()).hasSize(2);
    assertThat(MailTopic.of(events, MailboxStatus.class).getLast().messages()).isEqualTo(2);
    // One refused record is not a dead channel: the connector stays live for its other accounts.
    io.restassured.RestAssured.get("/q/health/live").then().statusCode(200);
  }

  /** multipart/mixed > (alternative > (text, related > (html, inline image))), a PDF, a message. */
  private static MimeMessage outsized(String root) throws Exception {
    MimeMessage m = base("x", "<outsized@example.com>");
    m.setSubject("Gr\u00fc\u00dfe aus M\u00fcnchen, ".repeat(120), "utf-8");
    m.setFrom(new InternetAddress("juergen@example.com", "J\u00fcrgen M\u00fcller", "utf-8"));
    List<InternetAddress> to = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      to.add(new InternetAddress("r" + i + "@example.com", "Empf\u00e4nger " + i, "utf-8"));
    }
    m.setRecipients(Message.RecipientType.TO, to.toArray(InternetAddress[]::new));
    m.setRecipients(Message.RecipientType.CC, "a@example.com, b@example.com, c@example.com");
    StringBuilder refs = new StringBuilder(root);
    for (int i = 1; i < 120; i++) {
      refs.append(' ').append("<ref-").append(i).append("@example.com>");
    }
    m.setHeader("References", MimeUtility.fold(12, refs.toString()));

    MimeBodyPart text = new MimeBodyPart();
    text.setText("Sch\u00f6ne Gr\u00fc\u00dfe aus dem B\u00fcro. ".repeat(800), "utf-8");
    text.setHeader("Content-Transfer-Encoding", "quoted-printable");
    MimeBodyPart html = new MimeBodyPart();
    html.setText(
        "<html><body><p>Sch\u00f6ne Gr\u00fc\u00dfe</p><img src=\"cid:logo\"></body></html>",
        "utf-8",
        "html");
    MimeBodyPart image = new MimeBodyPart();
    image.setDataHandler(new DataHandler(new ByteArrayDataSource(new byte[5_000], "image/png")));
    image.setFileName("logo.png");
    image.setContentID("<logo>");
    image.setDisposition(MimeBodyPart.INLINE);
    MimeMultipart related = new MimeMultipart("related", html, image);
    MimeBodyPart relatedPart = new MimeBodyPart();
    relatedPart.setContent(related);
    MimeMultipart alternative = new MimeMultipart("alternative", text, relatedPart);
    MimeBodyPart alternativePart = new MimeBodyPart();
    alternativePart.setContent(alternative);

    System.setProperty("mail.mime.encodeparameters", "true");
    MimeBodyPart pdf = new MimeBodyPart();
    pdf.setDataHandler(
        new DataHandler(new ByteArrayDataSource(new byte[300_000], "application/pdf")));
    pdf.setFileName("\u00dcberblick Q3 \u2013 Entw\u00fcrfe.pdf"); // RFC 2231 on the wire
    pdf.setDisposition(MimeBodyPart.ATTACHMENT);
    MimeBodyPart forwarded = new MimeBodyPart();
    MimeMessage inner = base("inner", "<inner@example.com>");
    inner.setText("forwarded\n", "utf-8");
    forwarded.setContent(inner, "message/rfc822");
    m.setContent(new MimeMultipart(alternativePart, pdf, forwarded));
    return m;
  }

  private static MimeMessage base(String subject, String messageId) throws Exception {
    MimeMessage m =
        new MimeMessage(Session.getInstance(new Properties())) {
          @Override
          protected void updateMessageID() throws jakarta.mail.MessagingException {
            setHeader("Message-ID", messageId);
          }
        };
    m.setFrom(new InternetAddress("sender@example.com"));
    m.setRecipients(Message.RecipientType.TO, "someone@example.com");
    m.setSubject(subject, "utf-8");
    m.setSentDate(new Date());
    return m;
  }

  private static void append(Store client, String mailbox, MimeMessage m) throws Exception {
    m.saveChanges();
    Folder folder = client.getFolder(mailbox);
    if (!folder.exists()) {
      folder.create(Folder.HOLDS_MESSAGES);
    }
    folder.appendMessages(new Message[] {m});
  }

  private IMAPStore connect(String user, String password) throws Exception {
    return connector.connect(
        new ImapEndpoint(TestDovecot.HOST, TestDovecot.IMAPS_PORT, Security.TLS, user), password);
  }
}
