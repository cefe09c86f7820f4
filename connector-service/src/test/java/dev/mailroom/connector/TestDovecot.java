package dev.mailroom.connector;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Date;
import java.util.Properties;
import java.util.UUID;

/**
 * The real Dovecot of the test run: adds users to its passwd-file (Dovecot re-reads it on
 * change) and acts as "another IMAP client" that appends and changes mail.
 */
final class TestDovecot {

  static final String HOST = env("MAILROOM_TEST_IMAP_HOST", "localhost");
  static final int IMAP_PORT = Integer.parseInt(env("MAILROOM_TEST_IMAP_PORT", "12143"));
  static final int IMAPS_PORT = Integer.parseInt(env("MAILROOM_TEST_IMAPS_PORT", "12993"));

  private TestDovecot() {}

  /** A fresh user with an empty mailbox, so tests never see each other's mail. */
  static String newUser(String prefix, String password) throws IOException {
    String user = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    Path passwd = Path.of(System.getenv().getOrDefault("MAILROOM_TEST_DOVECOT_PASSWD",
        ".mailroom/test/dovecot/users"));
    Files.writeString(passwd, user + ":{PLAIN}" + password + "::::::\n", StandardOpenOption.APPEND);
    return user;
  }

  static Store login(String user, String password) throws MessagingException {
    Properties props = new Properties();
    props.put("mail.imap.connectiontimeout", "10000");
    props.put("mail.imap.timeout", "20000");
    Store store = Session.getInstance(props).getStore("imap");
    store.connect(HOST, IMAP_PORT, user, password);
    return store;
  }

  static void append(Store store, String mailbox, String subject, String messageId) throws MessagingException {
    Folder folder = store.getFolder(mailbox);
    if (!folder.exists()) {
      folder.create(Folder.HOLDS_MESSAGES);
    }
    MimeMessage m = new MimeMessage((Session) null);
    m.setFrom(new InternetAddress("sender@example.com", false));
    m.setRecipients(Message.RecipientType.TO, "someone@example.com");
    m.setSubject(subject);
    m.setSentDate(new Date());
    m.setText("Hello from the test.\n");
    m.saveChanges();
    if (messageId != null) {
      m.setHeader("Message-ID", messageId);
    }
    folder.appendMessages(new Message[] {m});
  }

  private static String env(String name, String fallback) {
    return System.getenv().getOrDefault(name, fallback);
  }
}
