package dev.mailroom.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Two-way sync on the running platform: actions through the gateway with a real user token, applied
 * on Dovecot by the connector, and seen by a second IMAP client and in the store (through the
 * gateway); the 409 of an unmapped role and its fix (a mapping that survives a restart of
 * sync-service), 410 for an expunged message, 422 for a reused Idempotency-Key.
 */
class TwoWaySyncIT {

  @Test
  void actionsHappenOnTheServerAndInTheStore() throws Exception {
    String demo = Platform.token("demo", "demo");
    String password = "Act-" + System.nanoTime();
    // A user without a Junk mailbox (the stack's Dovecot makes one for everyone otherwise), so the
    // junk role is unmapped.
    String user = "e2e-act-" + UUID.randomUUID().toString().substring(0, 8);
    Files.writeString(
        Platform.DOVECOT_USERS,
        user + ":{PLAIN}" + password + "::::::userdb_namespace/inbox/mailbox/Junk/auto=no\n",
        StandardOpenOption.APPEND);
    for (String subject : List.of("one", "two", "three")) {
      EndToEndIT.append(user, password, subject);
    }
    String account = Platform.addAccount(demo, "Actions", user, password);
    Map<String, String> ids = new HashMap<>();
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              JsonPath page =
                  api(demo)
                      .queryParam("mailbox", "INBOX")
                      .get("/api/accounts/{id}/messages", account)
                      .jsonPath();
              assertThat(page.getList("items.subject", String.class))
                  .containsExactlyInAnyOrder("one", "two", "three");
              List<String> subjects = page.getList("items.subject", String.class);
              for (int i = 0; i < subjects.size(); i++) {
                ids.put(subjects.get(i), page.getString("items[" + i + "].id"));
              }
            });

    // Mark read.
    String read =
        accepted(api(demo).body(Map.of("seen", true)), "/messages/{m}", account, ids.get("one"));
    awaitApplied(demo, account, read);
    assertThat(onServer(user, password, "INBOX", "one").contains(Flags.Flag.SEEN)).isTrue();
    assertThat(locations(demo, account, ids.get("one")).getList("flags[0]")).contains("\\Seen");

    // Move to Archive by its role.
    String archived =
        acceptedPost(
            api(demo).body(Map.of("role", "archive")),
            "/messages/{m}/move",
            account,
            ids.get("two"));
    awaitApplied(demo, account, archived);
    assertThat(onServer(user, password, "Archive", "two")).isNotNull();
    assertThat(onServer(user, password, "INBOX", "two")).isNull();
    assertThat(locations(demo, account, ids.get("two")).getList("mailbox"))
        .containsExactly("Archive");

    // A bulk action: flag two messages.
    String bulk =
        acceptedPost(
            api(demo)
                .body(
                    Map.of(
                        "action", "flag", "messageIds", List.of(ids.get("one"), ids.get("three")))),
            "/actions",
            account,
            null);
    awaitApplied(demo, account, bulk);
    for (String subject : List.of("one", "three")) {
      assertThat(onServer(user, password, "INBOX", subject).contains(Flags.Flag.FLAGGED)).isTrue();
      assertThat(locations(demo, account, ids.get(subject)).getList("flags[0]"))
          .contains("\\Flagged");
    }

    // No mailbox plays junk: 409 naming the role and the fix; nothing reaches the server.
    api(demo)
        .contentType(ContentType.JSON)
        .body(Map.of("role", "junk"))
        .post("/api/accounts/{id}/messages/{m}/move", account, ids.get("three"))
        .then()
        .statusCode(409)
        .body("type", equalTo("urn:mailroom:problem:mailboxes-not-configured"))
        .body("detail", containsString("junk"));
    assertThat(onServer(user, password, "INBOX", "three")).isNotNull();

    // The fix: create a mailbox and map junk to it; the mapping survives a restart of sync-service
    // on the same database and a resync of the mailbox, and the move then goes through.
    String created =
        acceptedPost(api(demo).body(Map.of("path", "Unwanted")), "/mailboxes", account, null);
    awaitApplied(demo, account, created);
    api(demo)
        .contentType(ContentType.JSON)
        .body(Map.of("junk", "Unwanted"))
        .put("/api/accounts/{id}/roles", account)
        .then()
        .statusCode(200)
        .body("roles.junk.path", equalTo("Unwanted"));
    // The stack's own script (the tests run in deploy/), with this platform's home and ports.
    Host.run(List.of("../mailroom", "stop", "sync-service"));
    Host.run(List.of("../mailroom", "start", "sync-service"));
    EndToEndIT.append(user, password, "four");
    moveOnServer(user, password, "four", "Unwanted");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                api(demo)
                    .get("/api/accounts/{id}/mailboxes", account)
                    .then()
                    .body("find { it.path == 'Unwanted' }.total", equalTo(1)));
    api(demo)
        .get("/api/accounts/{id}/roles", account)
        .then()
        .statusCode(200)
        .body("roles.junk.path", equalTo("Unwanted"))
        .body("roles.junk.source", equalTo("owner"));
    String junked =
        acceptedPost(
            api(demo).body(Map.of("role", "junk")),
            "/messages/{m}/move",
            account,
            ids.get("three"));
    awaitApplied(demo, account, junked);
    assertThat(onServer(user, password, "Unwanted", "three")).isNotNull();

    // Idempotency-Key: the same request again is the same command; another request with the
    // key is refused, naming it.
    String key = "e2e-" + UUID.randomUUID();
    String first =
        accepted(
            api(demo).header("Idempotency-Key", key).body(Map.of("seen", false)),
            "/messages/{m}",
            account,
            ids.get("one"));
    awaitApplied(demo, account, first);
    assertThat(
            accepted(
                api(demo).header("Idempotency-Key", key).body(Map.of("seen", false)),
                "/messages/{m}",
                account,
                ids.get("one")))
        .isEqualTo(first);
    api(demo)
        .header("Idempotency-Key", key)
        .contentType(ContentType.JSON)
        .body(Map.of("seen", true))
        .patch("/api/accounts/{id}/messages/{m}", account, ids.get("one"))
        .then()
        .statusCode(422)
        .body("detail", containsString(key));

    // Expunged on the server by another client: 410, where an id never known is 404.
    expungeOnServer(user, password, "Archive", "two");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                api(demo)
                    .contentType(ContentType.JSON)
                    .body(Map.of("seen", true))
                    .patch("/api/accounts/{id}/messages/{m}", account, ids.get("two"))
                    .then()
                    .statusCode(410)
                    .body("type", equalTo("urn:mailroom:problem:message-expunged")));
    api(demo)
        .contentType(ContentType.JSON)
        .body(Map.of("seen", true))
        .patch("/api/accounts/{id}/messages/{m}", account, "never-" + UUID.randomUUID())
        .then()
        .statusCode(404);
  }

  private static String accepted(
      RequestSpecification request, String path, String account, String message) {
    return request
        .contentType(ContentType.JSON)
        .patch("/api/accounts/{id}" + path, account, message)
        .then()
        .statusCode(202)
        .extract()
        .path("commandId");
  }

  private static String acceptedPost(
      RequestSpecification request, String path, String account, String message) {
    return (message == null
            ? request.contentType(ContentType.JSON).post("/api/accounts/{id}" + path, account)
            : request
                .contentType(ContentType.JSON)
                .post("/api/accounts/{id}" + path, account, message))
        .then()
        .statusCode(202)
        .extract()
        .path("commandId");
  }

  private static void awaitApplied(String token, String account, String command) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () ->
                api(token)
                    .get("/api/accounts/{id}/commands/{c}", account, command)
                    .then()
                    .statusCode(200)
                    .body("status", equalTo("applied")));
  }

  /** The message's locations as the store shows them through the gateway. */
  private static JsonPath locations(String token, String account, String message) {
    return api(token)
        .get("/api/accounts/{id}/messages/{m}", account, message)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .setRootPath("locations");
  }

  /** The flags of the message with this subject as a second IMAP client sees them; null if none. */
  private static Flags onServer(String user, String password, String mailbox, String subject)
      throws Exception {
    try (Store store = imap(user, password)) {
      Folder folder = store.getFolder(mailbox);
      folder.open(Folder.READ_ONLY);
      try {
        for (Message m : folder.getMessages()) {
          if (subject.equals(m.getSubject())) {
            return m.getFlags();
          }
        }
        return null;
      } finally {
        folder.close(false);
      }
    }
  }

  private static void moveOnServer(String user, String password, String subject, String to)
      throws Exception {
    try (Store store = imap(user, password)) {
      Folder inbox = store.getFolder("INBOX");
      inbox.open(Folder.READ_WRITE);
      for (Message m : inbox.getMessages()) {
        if (subject.equals(m.getSubject())) {
          ((org.eclipse.angus.mail.imap.IMAPFolder) inbox)
              .moveMessages(new Message[] {m}, store.getFolder(to));
        }
      }
      inbox.close(false);
    }
  }

  private static void expungeOnServer(String user, String password, String mailbox, String subject)
      throws Exception {
    try (Store store = imap(user, password)) {
      Folder folder = store.getFolder(mailbox);
      folder.open(Folder.READ_WRITE);
      for (Message m : folder.getMessages()) {
        if (subject.equals(m.getSubject())) {
          m.setFlag(Flags.Flag.DELETED, true);
        }
      }
      folder.close(true);
    }
  }

  private static Store imap(String user, String password) throws Exception {
    Properties props = new Properties();
    props.put("mail.imap.starttls.enable", "true");
    props.put("mail.imap.ssl.trust", Platform.IMAP_HOST);
    Store store = Session.getInstance(props).getStore("imap");
    store.connect(Platform.IMAP_HOST, Platform.IMAP_PORT, user, password);
    return store;
  }

  private static RequestSpecification api(String token) {
    return given().baseUri(Platform.GATEWAY).auth().oauth2(token);
  }
}
