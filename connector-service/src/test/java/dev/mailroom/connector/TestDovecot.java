package dev.mailroom.connector;

import jakarta.mail.Flags;
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
 * The real Dovecot of the test run: adds users to its passwd-file (Dovecot re-reads it on change)
 * and acts as "another IMAP client" that appends and changes mail.
 */
public final class TestDovecot {

  public static final String HOST = env("MAILROOM_TEST_IMAP_HOST", "localhost");
  public static final int IMAP_PORT = Integer.parseInt(env("MAILROOM_TEST_IMAP_PORT", "12143"));
  public static final int IMAPS_PORT = Integer.parseInt(env("MAILROOM_TEST_IMAPS_PORT", "12993"));

  private TestDovecot() {}

  /** A fresh user with an empty mailbox, so tests never see each other's mail. */
  public static String newUser(String prefix, String password) throws IOException {
    return newUser(prefix, password, "");
  }

  /**
   * A fresh user with userdb extra fields (space-separated {@code key=value}, no spaces inside a
   * value), e.g. {@code userdb_imap_capability=IMAP4rev1}: a server with neither IDLE, NOTIFY nor
   * CONDSTORE for that user alone.
   */
  public static String newUser(String prefix, String password, String extraFields)
      throws IOException {
    String user = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    Path passwd =
        Path.of(
            System.getenv()
                .getOrDefault("MAILROOM_TEST_DOVECOT_PASSWD", ".mailroom/test/dovecot/users"));
    Files.writeString(
        passwd,
        user + ":{PLAIN}" + password + "::::::" + extraFields + "\n",
        StandardOpenOption.APPEND);
    awaitLogin(passwd, user, password);
    return user;
  }

  /**
   * Fresh users sharing one password, written to the passwd-file at once: one re-read of the file
   * makes them all known, where one {@link #newUser} each can wait seconds per user.
   */
  public static java.util.List<String> newUsers(String prefix, String password, int count)
      throws IOException {
    Path passwd =
        Path.of(
            System.getenv()
                .getOrDefault("MAILROOM_TEST_DOVECOT_PASSWD", ".mailroom/test/dovecot/users"));
    java.util.List<String> users = new java.util.ArrayList<>();
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < count; i++) {
      String user = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
      users.add(user);
      lines.append(user).append(":{PLAIN}").append(password).append("::::::\n");
    }
    Files.writeString(passwd, lines.toString(), StandardOpenOption.APPEND);
    for (String user : users) {
      awaitLogin(passwd, user, password);
    }
    return users;
  }

  /**
   * Dovecot re-reads its passwd-file when the file's mtime changes, which it notices to the second:
   * two users added within one second can leave the second unknown. Until a login works, the mtime
   * is moved on so that Dovecot reads the file again.
   */
  private static void awaitLogin(Path passwd, String user, String password) throws IOException {
    for (int attempt = 1; attempt <= 20; attempt++) {
      try (Store store = login(user, password)) {
        return;
      } catch (jakarta.mail.AuthenticationFailedException e) {
        Files.setLastModifiedTime(
            passwd,
            java.nio.file.attribute.FileTime.from(java.time.Instant.now().plusSeconds(attempt)));
        try {
          Thread.sleep(250);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
      } catch (MessagingException e) {
        throw new IOException("cannot log in as " + user, e);
      }
    }
  }

  public static Store login(String user, String password) throws MessagingException {
    Properties props = new Properties();
    props.put("mail.imap.connectiontimeout", "10000");
    props.put("mail.imap.timeout", "20000");
    Store store = Session.getInstance(props).getStore("imap");
    store.connect(HOST, IMAP_PORT, user, password);
    return store;
  }

  public static void append(Store store, String mailbox, String subject, String messageId)
      throws MessagingException {
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

  /** A multipart/mixed message: a text part, then a PDF attachment of {@code size} bytes. */
  public static void appendWithAttachment(Store store, String mailbox, String subject, int size)
      throws MessagingException {
    Folder folder = store.getFolder(mailbox);
    if (!folder.exists()) {
      folder.create(Folder.HOLDS_MESSAGES);
    }
    MimeMessage m = new MimeMessage((Session) null);
    m.setFrom(new InternetAddress("sender@example.com", false));
    m.setSubject(subject);
    m.setSentDate(new Date());
    var text = new jakarta.mail.internet.MimeBodyPart();
    text.setText("Please find the report attached.\n", "utf-8");
    var pdf = new jakarta.mail.internet.MimeBodyPart();
    pdf.setDataHandler(
        new jakarta.activation.DataHandler(
            new jakarta.mail.util.ByteArrayDataSource(new byte[size], "application/pdf")));
    pdf.setFileName("report.pdf");
    pdf.setDisposition(jakarta.mail.Part.ATTACHMENT);
    m.setContent(new jakarta.mail.internet.MimeMultipart(text, pdf));
    m.saveChanges();
    folder.appendMessages(new Message[] {m});
  }

  /** Sets or clears a flag on the message with this subject, as a phone or webmail would. */
  public static void flag(Store store, String mailbox, String subject, Flags.Flag flag, boolean set)
      throws MessagingException {
    withMessage(store, mailbox, subject, (folder, m) -> m.setFlag(flag, set));
  }

  /** Deletes and expunges the message with this subject. */
  public static void expunge(Store store, String mailbox, String subject)
      throws MessagingException {
    withMessage(
        store,
        mailbox,
        subject,
        (folder, m) -> {
          m.setFlag(Flags.Flag.DELETED, true);
          folder.expunge();
        });
  }

  /** RFC 6851 MOVE of the message with this subject. */
  public static void move(Store store, String from, String subject, String to)
      throws MessagingException {
    withMessage(
        store,
        from,
        subject,
        (folder, m) ->
            ((org.eclipse.angus.mail.imap.IMAPFolder) folder)
                .moveMessages(new Message[] {m}, store.getFolder(to)));
  }

  public static void rename(Store store, String from, String to) throws MessagingException {
    store.getFolder(from).renameTo(store.getFolder(to));
  }

  public static void create(Store store, String mailbox) throws MessagingException {
    store.getFolder(mailbox).create(Folder.HOLDS_MESSAGES);
  }

  public static void delete(Store store, String mailbox) throws MessagingException {
    store.getFolder(mailbox).delete(true);
  }

  /**
   * Gives a mailbox a new UIDVALIDITY the way a server restore does: its UID list and indexes are
   * deleted and Dovecot rebuilds them.
   */
  public static void resetUidValidity(String user, String mailbox)
      throws IOException, InterruptedException {
    Path maildir = maildir(user, mailbox);
    try (var files = Files.list(maildir)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        if (name.startsWith("dovecot-uidlist") || name.startsWith("dovecot.index")) {
          Files.delete(f);
        }
      }
    }
    doveadm("force-resync", "-u", user, mailbox);
  }

  /**
   * Writes messages straight into the Maildir and lets Dovecot index them: thousands per second.
   */
  public static void bulkLoad(String user, String mailbox, int count)
      throws IOException, InterruptedException {
    Path cur = maildir(user, mailbox).resolve("cur");
    Files.createDirectories(cur);
    long now = System.currentTimeMillis() / 1000;
    for (int i = 0; i < count; i++) {
      String message =
          "From: Bulk Sender <bulk@example.com>\r\nTo: someone@example.com\r\n"
              + "Subject: bulk "
              + i
              + "\r\nMessage-ID: <bulk-"
              + i
              + "-"
              + user
              + "@test>\r\n"
              + "Date: Thu, 26 Nov 2026 06:00:00 +0000\r\n\r\nBody of message "
              + i
              + ".\r\n";
      Files.writeString(cur.resolve((now - count + i) + ".b" + i + "." + user + ":2,"), message);
    }
    new ProcessBuilder("chown", "-R", "nobody:nogroup", maildirRoot(user).toString())
        .inheritIO()
        .start()
        .waitFor();
    doveadm("force-resync", "-u", user, mailbox);
    doveadm("index", "-u", user, mailbox);
  }

  /**
   * How many IMAP logins of the user Dovecot has logged so far (its log_path, see deploy/dovecot).
   */
  public static long logins(String user) throws IOException {
    String home = System.getenv().getOrDefault("MAILROOM_HOME", ".mailroom/test");
    String mark = "Login: user=<" + user + ">,";
    try (var lines = Files.lines(Path.of(home, "logs", "dovecot.log"))) {
      return lines.filter(line -> line.contains(mark)).count();
    }
  }

  /**
   * Makes the user's mailbox list index log look older than Dovecot's log_rotate_min_age (5 min),
   * as on any account in use for a while: the next change that finds it over the minimum size
   * rotates it. Sets create_stamp, offset 20 of the transaction log header, to 1.
   */
  public static void ageListIndexLog(String user) throws IOException {
    try (var file =
        java.nio.channels.FileChannel.open(
            listIndexLog(user), java.nio.file.StandardOpenOption.WRITE)) {
      file.write(
          java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(0, 1), 20);
    }
  }

  /** The inode of the user's mailbox list index log: it changes when Dovecot rotates the log. */
  public static long listIndexLogInode(String user) throws IOException {
    return ((Number) Files.getAttribute(listIndexLog(user), "unix:ino")).longValue();
  }

  private static Path listIndexLog(String user) {
    return maildirRoot(user).resolve("dovecot.list.index.log");
  }

  public static Path maildirRoot(String user) {
    String home = System.getenv().getOrDefault("MAILROOM_HOME", ".mailroom/test");
    return Path.of(home, "data", "mail", user, "Maildir");
  }

  private static Path maildir(String user, String mailbox) {
    return "INBOX".equalsIgnoreCase(mailbox)
        ? maildirRoot(user)
        : maildirRoot(user).resolve("." + mailbox);
  }

  private static void doveadm(String... args) throws IOException, InterruptedException {
    var command =
        new java.util.ArrayList<String>(
            java.util.List.of(
                "doveadm",
                "-c",
                System.getenv()
                    .getOrDefault(
                        "MAILROOM_TEST_DOVECOT_CONF", ".mailroom/test/dovecot/dovecot.conf")));
    command.addAll(java.util.List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IOException("doveadm " + String.join(" ", args) + " failed: " + out);
    }
  }

  private interface MessageAction {
    void apply(Folder folder, Message message) throws MessagingException;
  }

  private static void withMessage(Store store, String mailbox, String subject, MessageAction action)
      throws MessagingException {
    Folder folder = store.getFolder(mailbox);
    folder.open(Folder.READ_WRITE);
    try {
      for (Message m : folder.getMessages()) {
        if (subject.equals(m.getSubject())) {
          action.apply(folder, m);
          return;
        }
      }
      throw new MessagingException("no message '" + subject + "' in " + mailbox);
    } finally {
      folder.close(false);
    }
  }

  private static String env(String name, String fallback) {
    return System.getenv().getOrDefault(name, fallback);
  }
}
