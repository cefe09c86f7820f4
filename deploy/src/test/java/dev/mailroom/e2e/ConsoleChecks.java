package dev.mailroom.e2e;

import static io.restassured.RestAssured.given;

import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.search.SubjectTerm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/**
 * What ConsoleIT checks behind the browser: the gateway's API as demo sees it, and the IMAP server
 * itself (Dovecot), so a step passes only when the server did what the page says.
 */
final class ConsoleChecks {

  private ConsoleChecks() {}

  static RequestSpecification api() {
    // A token per call: the test may outlive one (15 minutes), and Keycloak answers quickly.
    return given().baseUri(Platform.GATEWAY).auth().oauth2(Platform.token("demo", "demo"));
  }

  static String demoAccountId() {
    List<Map<String, Object>> accounts =
        api().get("/api/accounts").then().statusCode(200).extract().jsonPath().getList("$");
    return accounts.stream()
        .filter(a -> "demo".equals(a.get("username")))
        .findFirst()
        .orElseThrow()
        .get("id")
        .toString();
  }

  /**
   * The message as the store has it: {@code locations[0].mailbox}, {@code .flags}, {@code
   * .pending}.
   */
  static JsonPath message(String accountId, String messageId) {
    return api()
        .urlEncodingEnabled(true)
        .get("/api/accounts/{a}/messages/{m}", accountId, messageId)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  /** True once the server's own state (the store shows no pending request) is as expected. */
  static boolean settled(JsonPath message, String mailbox, String... flags) {
    return !message.getBoolean("locations[0].pending")
        && mailbox.equals(message.getString("locations[0].mailbox"))
        && message.getList("locations[0].flags").containsAll(List.of(flags));
  }

  static JsonPath roles(String accountId) {
    return api()
        .get("/api/accounts/{a}/roles", accountId)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  /**
   * A fresh Dovecot user without a Trash mailbox: the stack's Dovecot makes Trash (with {@code
   * \Trash}) for everyone, so this user's userdb fields turn that off, and no mailbox plays the
   * trash role. Its password is its name.
   */
  static String newUserWithoutTrash() throws IOException {
    String user = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
    Files.writeString(
        Platform.DOVECOT_USERS,
        user
            + ":{PLAIN}"
            + user
            + "::::::userdb_namespace/inbox/mailbox/Trash/auto=no"
            + " userdb_namespace/inbox/mailbox/Trash/special_use=\\Flagged\n",
        StandardOpenOption.APPEND);
    return user;
  }

  static void createMailbox(String user, String path) throws Exception {
    try (Store store = store(user)) {
      store.getFolder(path).create(Folder.HOLDS_MESSAGES);
    }
  }

  /** Appends a message from {@code from} to the user's INBOX, as another mail client would. */
  static void append(String user, String from, String subject) throws Exception {
    try (Store store = store(user)) {
      MimeMessage m = new MimeMessage((Session) null);
      m.setFrom(new InternetAddress(from));
      m.setRecipients(Message.RecipientType.TO, user + "@mailroom.local");
      m.setSubject(subject);
      m.setSentDate(new Date());
      m.setText("Appended by the console test.\n");
      store.getFolder("INBOX").appendMessages(new Message[] {m});
    }
  }

  /** Whether the user's mailbox on the IMAP server holds a message with this subject. */
  static boolean serverHas(String user, String mailbox, String subject) throws Exception {
    try (Store store = store(user)) {
      Folder folder = store.getFolder(mailbox);
      folder.open(Folder.READ_ONLY);
      try {
        return folder.search(new SubjectTerm(subject)).length > 0;
      } finally {
        folder.close(false);
      }
    }
  }

  /** The stack's users log in with their name as password. */
  private static Store store(String user) throws Exception {
    Properties props = new Properties();
    props.put("mail.imap.starttls.enable", "true");
    props.put("mail.imap.ssl.trust", Platform.IMAP_HOST);
    Store store = Session.getInstance(props).getStore("imap");
    store.connect(Platform.IMAP_HOST, Platform.IMAP_PORT, user, user);
    return store;
  }
}
