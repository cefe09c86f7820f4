package dev.mailroom.connector.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.connector.MailTopic;
import dev.mailroom.connector.TestDovecot;
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
import jakarta.inject.Inject;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The text of a message comes from wherever its structure puts it: part 1 arrives with the batch's
 * own FETCH (a single part, an alternative, a text followed by attachments), any other part with a
 * second one (a text under mixed > alternative, a text after an attachment). Each shape, in one
 * batch on real Dovecot, gets its own text, decoded, and nothing of another part.
 */
@QuarkusTest
class MessageTextTest {

  static final TestKafka kafka = TestKafka.shared();

  @Inject EventPublisher publisher;
  @Inject ImapConnector connector;

  @ConfigProperty(name = "mailroom.topic.mail")
  String mailTopic;

  @Test
  void eachShapeGetsTheTextOfItsOwnPart() throws Exception {
    String password = "pw-" + System.nanoTime();
    String user = TestDovecot.newUser("texts", password);
    try (Store client = TestDovecot.login(user, password)) {
      Folder inbox = client.getFolder("INBOX");
      Session session = Session.getInstance(new Properties());
      for (String raw : SHAPES) {
        byte[] bytes = raw.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
        inbox.appendMessages(
            new Message[] {new MimeMessage(session, new ByteArrayInputStream(bytes))});
      }
    }
    AccountId id = AccountId.random();
    MailboxSync sync = new MailboxSync(id, publisher, Clock.systemUTC(), 100, 2_097_152, 4096);
    IMAPStore store =
        connector.connect(
            new ImapEndpoint(TestDovecot.HOST, TestDovecot.IMAPS_PORT, Security.TLS, user),
            password);
    try {
      sync.sync((IMAPFolder) store.getFolder("INBOX"), null, ServerChanges.Path.QRESYNC);
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
    Map<String, MessageAdded> bySubject =
        MailTopic.of(events, MessageAdded.class).stream()
            .collect(Collectors.toMap(MessageAdded::subject, Function.identity()));
    assertThat(bySubject).hasSize(SHAPES.size());

    MessageAdded plain = bySubject.get("plain");
    assertThat(plain.textBody()).isEqualTo("Grüße aus Köln.\n");
    assertThat(plain.references()).containsExactly("<root@example.com>", "<parent@example.com>");

    MessageAdded alternative = bySubject.get("alternative");
    assertThat(alternative.textBody()).isEqualTo("Café à côté.");
    assertThat(alternative.htmlBody()).isNull();

    MessageAdded nested = bySubject.get("mixed-alternative");
    assertThat(nested.textBody()).as("part 1.1, not the multipart's MIME").isEqualTo("Nested.");
    assertThat(nested.attachments()).extracting(MessageAdded.Attachment::part).containsExactly("2");

    MessageAdded html = bySubject.get("html-only");
    assertThat(html.textBody()).isNull();
    assertThat(html.htmlBody()).contains("<b>Überblick</b>");
    assertThat(html.snippet()).isEqualTo("Überblick und mehr");

    MessageAdded textFirst = bySubject.get("text-then-attachment");
    assertThat(textFirst.textBody()).isEqualTo("See attached.");

    MessageAdded attachmentFirst = bySubject.get("attachment-then-text");
    assertThat(attachmentFirst.textBody()).as("part 2, the attachment skipped").isEqualTo("After.");
  }

  private static final List<String> SHAPES =
      List.of(
          """
          From: a@example.com
          Subject: plain
          References: <root@example.com>
           <parent@example.com>
          MIME-Version: 1.0
          Content-Type: text/plain; charset=utf-8
          Content-Transfer-Encoding: 8bit

          Grüße aus Köln.
          """,
          """
          From: a@example.com
          Subject: alternative
          MIME-Version: 1.0
          Content-Type: multipart/alternative; boundary="alt"

          --alt
          Content-Type: text/plain; charset=iso-8859-1
          Content-Transfer-Encoding: quoted-printable

          Caf=E9 =E0 c=F4t=E9.
          --alt
          Content-Type: text/html; charset=utf-8

          <p>Café</p>
          --alt--
          """,
          """
          From: a@example.com
          Subject: mixed-alternative
          MIME-Version: 1.0
          Content-Type: multipart/mixed; boundary="mix"

          --mix
          Content-Type: multipart/alternative; boundary="alt"

          --alt
          Content-Type: text/plain; charset=us-ascii

          Nested.
          --alt
          Content-Type: text/html; charset=us-ascii

          <p>Nested.</p>
          --alt--

          --mix
          Content-Type: application/pdf; name="a.pdf"
          Content-Disposition: attachment; filename="a.pdf"
          Content-Transfer-Encoding: base64

          JVBERi0xLjQK
          --mix--
          """,
          """
          From: a@example.com
          Subject: html-only
          MIME-Version: 1.0
          Content-Type: text/html; charset=utf-8
          Content-Transfer-Encoding: base64

          PGh0bWw+PGJvZHk+PGI+w5xiZXJibGljazwvYj4gdW5kIG1laHI8L2JvZHk+PC9odG1sPgo=
          """,
          """
          From: a@example.com
          Subject: text-then-attachment
          MIME-Version: 1.0
          Content-Type: multipart/mixed; boundary="mix"

          --mix
          Content-Type: text/plain; charset=us-ascii

          See attached.
          --mix
          Content-Type: application/octet-stream; name="x.bin"
          Content-Disposition: attachment; filename="x.bin"
          Content-Transfer-Encoding: base64

          AAECAw==
          --mix--
          """,
          """
          From: a@example.com
          Subject: attachment-then-text
          MIME-Version: 1.0
          Content-Type: multipart/mixed; boundary="mix"

          --mix
          Content-Type: application/octet-stream; name="x.bin"
          Content-Disposition: attachment; filename="x.bin"
          Content-Transfer-Encoding: base64

          AAECAw==
          --mix
          Content-Type: text/plain; charset=us-ascii

          After.
          --mix--
          """);
}
