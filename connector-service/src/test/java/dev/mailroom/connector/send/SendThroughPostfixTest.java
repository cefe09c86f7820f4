package dev.mailroom.connector.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailroom.connector.MailTopic;
import dev.mailroom.connector.TestAccounts;
import dev.mailroom.connector.TestDovecot;
import dev.mailroom.connector.session.SessionManager;
import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.events.account.Security;
import dev.mailroom.events.account.SmtpEndpoint;
import dev.mailroom.events.mail.MailboxStatus;
import dev.mailroom.events.mail.MessageAdded;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.outbox.MessageSendFailed;
import dev.mailroom.events.outbox.MessageSent;
import dev.mailroom.events.outbox.SendRequested;
import dev.mailroom.events.testing.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.activation.DataHandler;
import jakarta.inject.Inject;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sending for real: requests on the outbox topic, the message submitted to the stack's Postfix
 * (STARTTLS, SASL through Dovecot), delivered by LMTP into the recipient's Dovecot mailbox and read
 * back from there over IMAP; the copy appended to the sender's Sent through its session.
 */
@QuarkusTest
class SendThroughPostfixTest {

  static final TestKafka kafka = TestKafka.shared();

  @Inject Outbox outbox;
  @Inject SessionManager sessions;

  @ConfigProperty(name = "mailroom.outbox.topic")
  String topic;

  @ConfigProperty(name = "mailroom.topic.mail")
  String mailTopic;

  private final List<OutboxConsumer> consumers = new ArrayList<>();
  private final List<AccountId> held = new ArrayList<>();
  private String group;

  @BeforeEach
  void topic() {
    kafka.createTopic(topic, 1);
    group = "send-test-" + UUID.randomUUID();
  }

  @AfterEach
  void stop() {
    consumers.forEach(OutboxConsumer::stop);
    held.forEach(sessions::release);
  }

  /** A sending account on the test Dovecot and Postfix, its session held here. */
  private AccountDefined account(String user, String password) throws Exception {
    AccountId id = AccountId.random();
    AccountDefined imapOnly = TestAccounts.onDovecot(id, user, password);
    AccountDefined account =
        new AccountDefined(
            id,
            "owner",
            user,
            TestPostfix.address(user),
            imapOnly.imap(),
            imapOnly.password(),
            imapOnly.definedAt(),
            imapOnly.createdAt(),
            new SmtpEndpoint(
                TestPostfix.HOST, TestPostfix.SUBMISSION_PORT, Security.STARTTLS, user),
            null);
    sessions.hold(account, 0);
    held.add(id);
    MailTopic.awaitFirst(
        kafka,
        mailTopic,
        id,
        MailboxStatus.class,
        s -> s.path().value().equals("Sent"),
        Duration.ofSeconds(30));
    return account;
  }

  private OutboxConsumer consumer(AccountDefined account) throws java.io.IOException {
    OutboxConsumer c =
        outbox.consumer(
            () -> Set.of(0),
            id -> id.equals(account.accountId()) ? Optional.of(account) : Optional.empty(),
            group,
            FakeOutboxStore.url());
    c.start();
    consumers.add(c);
    return c;
  }

  private static byte[] mime(
      String from, String to, String subject, String messageId, byte[] attachment, String inReplyTo)
      throws Exception {
    MimeMessage m =
        new MimeMessage(Session.getInstance(new java.util.Properties())) {
          @Override
          protected void updateMessageID() throws jakarta.mail.MessagingException {
            setHeader("Message-ID", messageId);
          }
        };
    m.setFrom(new InternetAddress(from));
    m.setRecipients(Message.RecipientType.TO, to);
    m.setSubject(subject, "UTF-8");
    if (inReplyTo != null) {
      m.setHeader("In-Reply-To", inReplyTo);
      m.setHeader("References", "<root@example.net> " + inReplyTo);
    }
    MimeMultipart mixed = new MimeMultipart("mixed");
    MimeBodyPart text = new MimeBodyPart();
    text.setText("Grüße from the outbox.\n", "UTF-8");
    mixed.addBodyPart(text);
    if (attachment != null) {
      MimeBodyPart file = new MimeBodyPart();
      file.setDataHandler(
          new DataHandler(new ByteArrayDataSource(attachment, "application/octet-stream")));
      file.setFileName("data.bin");
      mixed.addBodyPart(file);
    }
    m.setContent(mixed);
    m.saveChanges();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    m.writeTo(out);
    return out.toByteArray();
  }

  /** Queued before the account's first sync: no Sent resolved, the connector finds it. */
  private SendRequested queue(
      AccountDefined account, List<String> recipients, byte[] mime, String messageId) {
    return queue(account, recipients, mime, messageId, null);
  }

  private SendRequested queue(
      AccountDefined account,
      List<String> recipients,
      byte[] mime,
      String messageId,
      String sentMailbox) {
    UUID outboxId = UUID.randomUUID();
    FakeOutboxStore.QUEUED.put(
        outboxId, new FakeOutboxStore.Queued(account.email(), recipients, sentMailbox, mime));
    SendRequested request =
        new SendRequested(account.accountId(), outboxId, messageId, mime.length, Instant.now());
    kafka.send(topic, request);
    return request;
  }

  private static List<Message> inbox(Store store, String mailbox, String messageId)
      throws Exception {
    Folder folder = store.getFolder(mailbox);
    folder.open(Folder.READ_ONLY);
    List<Message> found = new ArrayList<>();
    for (Message m : folder.getMessages()) {
      String[] ids = m.getHeader("Message-ID");
      if (ids != null && ids[0].equals(messageId)) {
        found.add(m);
      }
    }
    return found;
  }

  @Test
  void anAttachmentArrivesWholeAtTheRecipientAndTheCopyIsInSentOnce() throws Exception {
    String sender = TestDovecot.newUser("send-from", "pw-from");
    String recipient = TestDovecot.newUser("send-to", "pw-to");
    AccountDefined account = account(sender, "pw-from");
    byte[] attachment = new byte[200_000];
    new Random(42).nextBytes(attachment);
    String messageId = "<" + UUID.randomUUID() + "@mailroom.local>";
    byte[] mime =
        mime(
            account.email(),
            TestPostfix.address(recipient),
            "Report attached",
            messageId,
            attachment,
            "<parent@example.net>");
    consumer(account);
    SendRequested request =
        queue(account, List.of(TestPostfix.address(recipient)), mime, messageId);
    // A request relayed twice (a relay that crashed before marking it) is sent once.
    kafka.send(topic, request);

    MessageSent sent =
        MailTopic.awaitFirst(
            kafka,
            topic,
            account.accountId(),
            MessageSent.class,
            s -> s.outboxId().equals(request.outboxId()),
            Duration.ofSeconds(60));
    assertThat(sent).isNotNull();
    assertThat(sent.smtpReply()).startsWith("250");
    assertThat(sent.sentCopyMailbox()).isEqualTo("Sent");

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              try (Store store = TestDovecot.login(recipient, "pw-to")) {
                List<Message> got = inbox(store, "INBOX", messageId);
                assertThat(got).hasSize(1);
                Message m = got.getFirst();
                assertThat(m.getSubject()).isEqualTo("Report attached");
                assertThat(m.getHeader("In-Reply-To")).containsExactly("<parent@example.net>");
                assertThat(m.getHeader("References")[0])
                    .contains("<root@example.net>")
                    .contains("<parent@example.net>");
                Multipart parts = (Multipart) m.getContent();
                // Mail travels with CRLF line ends (RFC 5322 §2.1).
                assertThat(((String) parts.getBodyPart(0).getContent()).replace("\r\n", "\n"))
                    .isEqualTo("Grüße from the outbox.\n");
                Part file = parts.getBodyPart(1);
                assertThat(file.getFileName()).isEqualTo("data.bin");
                assertThat(file.getInputStream().readAllBytes()).isEqualTo(attachment);
              }
            });
    try (Store store = TestDovecot.login(sender, "pw-from")) {
      List<Message> copies = inbox(store, "Sent", messageId);
      assertThat(copies).hasSize(1);
      assertThat(copies.getFirst().isSet(Flags.Flag.SEEN)).isTrue();
    }
    // The session syncs Sent after the append: one message.added with the same Message-ID (the
    // store derives the message's identity from it, so the copy is not a second message).
    MessageAdded copy =
        MailTopic.awaitFirst(
            kafka,
            mailTopic,
            account.accountId(),
            MessageAdded.class,
            a -> a.mailbox().value().equals("Sent") && messageId.equals(a.messageId()),
            Duration.ofSeconds(30));
    assertThat(copy).isNotNull();

    // Read again by a new consumer of the same group (a restart): nothing is sent again.
    consumers.forEach(OutboxConsumer::stop);
    consumer(account);
    Thread.sleep(3000);
    try (Store store = TestDovecot.login(recipient, "pw-to")) {
      assertThat(inbox(store, "INBOX", messageId)).hasSize(1);
    }
  }

  @Test
  void theCopyGoesToTheMailboxTheOwnerMappedAndADroppedKeptConnectionIsNoFailure()
      throws Exception {
    String sender = TestDovecot.newUser("send-mapped", "pw-m");
    String recipient = TestDovecot.newUser("send-mapped-to", "pw-n");
    try (Store store = TestDovecot.login(sender, "pw-m")) {
      assertThat(store.getFolder("Gesendet").create(Folder.HOLDS_MESSAGES)).isTrue();
    }
    AccountDefined account = account(sender, "pw-m");
    consumer(account);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      if (i == 1) {
        // The kept connection dies with Postfix while idle; the next message must not count it.
        TestPostfix.stop();
        TestPostfix.start();
      }
      String messageId = "<" + UUID.randomUUID() + "@mailroom.local>";
      ids.add(messageId);
      byte[] mime =
          mime(
              account.email(),
              TestPostfix.address(recipient),
              "Mapped " + i,
              messageId,
              null,
              null);
      // "Sent" exists (SPECIAL-USE) but the owner mapped the role to "Gesendet": the gateway
      // resolved it so, and the row carries it.
      SendRequested request =
          queue(account, List.of(TestPostfix.address(recipient)), mime, messageId, "Gesendet");
      MessageSent sent =
          MailTopic.awaitFirst(
              kafka,
              topic,
              account.accountId(),
              MessageSent.class,
              s -> s.outboxId().equals(request.outboxId()),
              Duration.ofSeconds(60));
      assertThat(sent.sentCopyMailbox()).isEqualTo("Gesendet");
      assertThat(sent.attempts()).isEqualTo(1);
    }
    try (Store store = TestDovecot.login(sender, "pw-m")) {
      for (String messageId : ids) {
        List<Message> copies = inbox(store, "Gesendet", messageId);
        assertThat(copies).hasSize(1);
        assertThat(copies.getFirst().isSet(Flags.Flag.SEEN)).isTrue();
        assertThat(inbox(store, "Sent", messageId)).isEmpty();
      }
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              try (Store store = TestDovecot.login(recipient, "pw-n")) {
                for (String messageId : ids) {
                  assertThat(inbox(store, "INBOX", messageId)).hasSize(1);
                }
              }
            });
  }

  @Test
  void postfixStoppedDuringASendIsRetriedAndTheMessageArrivesOnce() throws Exception {
    String sender = TestDovecot.newUser("send-retry", "pw-a");
    String recipient = TestDovecot.newUser("send-retry-to", "pw-b");
    AccountDefined account = account(sender, "pw-a");
    String messageId = "<" + UUID.randomUUID() + "@mailroom.local>";
    byte[] mime =
        mime(
            account.email(),
            TestPostfix.address(recipient),
            "While Postfix was away",
            messageId,
            null,
            null);
    consumer(account);
    TestPostfix.stop();
    SendRequested request;
    try {
      request = queue(account, List.of(TestPostfix.address(recipient)), mime, messageId);
      MessageSendFailed deferred =
          MailTopic.awaitFirst(
              kafka,
              topic,
              account.accountId(),
              MessageSendFailed.class,
              f -> f.outboxId().equals(request.outboxId()),
              Duration.ofSeconds(60));
      assertThat(deferred).isNotNull();
      assertThat(deferred.permanent()).isFalse();
      assertThat(deferred.nextAttemptAt()).isNotNull();
      assertThat(deferred.reason()).contains("HOST_UNREACHABLE");
    } finally {
      TestPostfix.start();
    }
    MessageSent sent =
        MailTopic.awaitFirst(
            kafka,
            topic,
            account.accountId(),
            MessageSent.class,
            s -> s.outboxId().equals(request.outboxId()),
            Duration.ofSeconds(60));
    assertThat(sent.attempts()).isGreaterThan(1);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              try (Store store = TestDovecot.login(recipient, "pw-b")) {
                assertThat(inbox(store, "INBOX", messageId)).hasSize(1);
              }
            });
  }

  @Test
  void aPermanentRefusalStopsWithTheServersWords() throws Exception {
    String sender = TestDovecot.newUser("send-5xx", "pw-c");
    AccountDefined account = account(sender, "pw-c");
    String messageId = "<" + UUID.randomUUID() + "@mailroom.local>";
    byte[] mime = mime(account.email(), "someone@example.com", "Nowhere", messageId, null, null);
    consumer(account);
    SendRequested request = queue(account, List.of("someone@example.com"), mime, messageId);
    MessageSendFailed failed =
        MailTopic.awaitFirst(
            kafka,
            topic,
            account.accountId(),
            MessageSendFailed.class,
            f -> f.outboxId().equals(request.outboxId()),
            Duration.ofSeconds(60));
    assertThat(failed.permanent()).isTrue();
    assertThat(failed.smtpCode()).isEqualTo(554);
    assertThat(failed.reason()).contains("Relay access denied");
    assertThat(failed.nextAttemptAt()).isNull();
    try (Store store = TestDovecot.login(sender, "pw-c")) {
      assertThat(inbox(store, "Sent", messageId)).as("nothing sent, no copy").isEmpty();
    }
  }
}
