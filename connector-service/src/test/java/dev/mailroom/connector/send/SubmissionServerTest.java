package dev.mailroom.connector.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mailroom.connector.TestDovecot;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.junit.jupiter.api.Test;

/**
 * The local stack's submission server (deploy/postfix): STARTTLS with the stack's certificate, SASL
 * against Dovecot's users, delivery by LMTP into Dovecot, and nothing relayed elsewhere.
 */
class SubmissionServerTest {

  @Test
  void authenticatedSubmissionArrivesInTheRecipientsDovecotInbox() throws Exception {
    String sender = TestDovecot.newUser("smtp-from", "pw-from");
    String recipient = TestDovecot.newUser("smtp-to", "pw-to");
    Session session = Session.getInstance(TestPostfix.starttls());
    MimeMessage m = new MimeMessage(session);
    m.setFrom(new InternetAddress(TestPostfix.address(sender)));
    m.setRecipients(Message.RecipientType.TO, TestPostfix.address(recipient));
    m.setSubject("Through the local Postfix");
    m.setText("Delivered by LMTP.\n");
    m.saveChanges();
    String messageId = m.getMessageID();

    try (SMTPTransport t = (SMTPTransport) session.getTransport("smtp")) {
      t.connect(sender, "pw-from");
      // STARTTLS really happened, and the server announces its size limit (RFC 1870).
      assertThat(t.isSSL()).isTrue();
      assertThat(t.getExtensionParameter("SIZE")).isEqualTo("10240000");
      t.sendMessage(m, m.getAllRecipients());
    }

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              try (Store store = TestDovecot.login(recipient, "pw-to")) {
                Folder inbox = store.getFolder("INBOX");
                inbox.open(Folder.READ_ONLY);
                Message[] messages = inbox.getMessages();
                assertThat(messages).hasSize(1);
                assertThat(messages[0].getSubject()).isEqualTo("Through the local Postfix");
                assertThat(messages[0].getHeader("Message-ID")).containsExactly(messageId);
                inbox.close(false);
              }
            });
  }

  @Test
  void wrongPasswordIsRefusedByDovecotsAuth() throws Exception {
    String sender = TestDovecot.newUser("smtp-bad", "right");
    Session session = Session.getInstance(TestPostfix.starttls());
    try (Transport t = session.getTransport("smtp")) {
      assertThatThrownBy(() -> t.connect(sender, "wrong"))
          .isInstanceOf(jakarta.mail.AuthenticationFailedException.class)
          .hasMessageContaining("535");
    }
  }

  @Test
  void mailForOtherDomainsIsRefusedWithA5xx() throws Exception {
    String sender = TestDovecot.newUser("smtp-relay", "pw");
    Session session = Session.getInstance(TestPostfix.starttls());
    MimeMessage m = new MimeMessage(session);
    m.setFrom(new InternetAddress(TestPostfix.address(sender)));
    m.setRecipients(Message.RecipientType.TO, "someone@example.com");
    m.setSubject("never leaves");
    m.setText("x");
    try (Transport t = session.getTransport("smtp")) {
      t.connect(sender, "pw");
      assertThatThrownBy(() -> t.sendMessage(m, m.getAllRecipients()))
          .isInstanceOf(SendFailedException.class)
          .satisfies(e -> assertThat(e.getCause()).isInstanceOf(SMTPAddressFailedException.class))
          .satisfies(
              e ->
                  assertThat(((SMTPAddressFailedException) e.getCause()).getReturnCode())
                      .isEqualTo(554));
    }
  }
}
