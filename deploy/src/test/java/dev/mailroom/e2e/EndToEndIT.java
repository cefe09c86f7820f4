package dev.mailroom.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.mailroom.events.Topics;
import dev.mailroom.events.testing.TestKafka;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole path on real parts: Dovecot -> connector -> Kafka -> sync-service -> PostgreSQL ->
 * gateway, with tokens from the real Keycloak. No mocks.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndToEndIT {

  static String demoToken;
  static String demoAccountId;

  @BeforeAll
  static void login() {
    demoToken = Platform.token("demo", "demo");
  }

  @Test
  @Order(1)
  void withoutATokenTheApiAnswers401() {
    given().get(Platform.GATEWAY + "/api/accounts").then().statusCode(401);
    given()
        .auth()
        .oauth2("not-a-token")
        .get(Platform.GATEWAY + "/api/accounts")
        .then()
        .statusCode(401);
  }

  @Test
  @Order(2)
  void demoAccountIsListedWithItsMailboxesAndAPagedNewestFirstInbox() {
    await().atMost(Duration.ofSeconds(60)).until(() -> demoAccount() != null);
    demoAccountId = demoAccount().get("id").toString();

    // The first sync of ~1,000 messages finishes when every mailbox holds what the server counts.
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              JsonPath boxes =
                  api(demoToken)
                      .get("/api/accounts/{id}/mailboxes", demoAccountId)
                      .then()
                      .statusCode(200)
                      .extract()
                      .jsonPath();
              assertThat(boxes.getList("path")).contains("INBOX", "Archive", "Sent", "Projects");
              assertThat(boxes.getList("stored", Long.class))
                  .isEqualTo(boxes.getList("total", Long.class));
            });
    JsonPath boxes = api(demoToken).get("/api/accounts/{id}/mailboxes", demoAccountId).jsonPath();
    long total = boxes.getList("total", Long.class).stream().mapToLong(Long::longValue).sum();
    assertThat(total).isBetween(900L, 1100L);
    assertThat(boxes.getString("find { it.path == 'Archive' }.role")).isEqualTo("archive");

    List<Map<String, Object>> all = new ArrayList<>();
    String cursor = null;
    for (int page = 0; page < 4; page++) {
      var request = api(demoToken).queryParam("mailbox", "INBOX").queryParam("limit", 50);
      if (cursor != null) {
        request.queryParam("cursor", cursor);
      }
      JsonPath body =
          request
              .get("/api/accounts/{id}/messages", demoAccountId)
              .then()
              .statusCode(200)
              .extract()
              .jsonPath();
      List<Map<String, Object>> items = body.getList("items");
      assertThat(items).hasSize(50);
      all.addAll(items);
      cursor = body.getString("nextCursor");
      assertThat(cursor).isNotNull();
    }
    List<Instant> dates =
        all.stream().map(m -> Instant.parse((String) m.get("internalDate"))).toList();
    assertThat(dates).isSortedAccordingTo(java.util.Comparator.reverseOrder());
    assertThat(new HashSet<>(all.stream().map(m -> m.get("uid")).toList())).hasSize(200);
    assertThat(all)
        .allSatisfy(
            m -> {
              assertThat(m).containsKeys("subject", "from", "date", "flags");
              assertThat((List<?>) m.get("from")).isNotEmpty();
            });
    assertThat(all).anySatisfy(m -> assertThat(m.get("flags").toString()).contains("\\Seen"));
  }

  @Test
  @Order(3)
  void badRequestsAreProblemsNamingTheField() {
    api(demoToken)
        .contentType(ContentType.JSON)
        .body("{\"host\": ")
        .post("/api/accounts")
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
    String password = "Never-Echo-" + System.nanoTime();
    api(demoToken)
        .contentType(ContentType.JSON)
        .body(
            "{\"port\": 993, \"security\": \"tls\", \"username\": \"x\", \"password\": \""
                + password
                + "\"}")
        .post("/api/accounts")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body(containsString("host"))
        .body(not(containsString(password)));
  }

  @Test
  @Order(4)
  void anAddedAccountShowsMailAppendedByAnotherClientWithinSeconds() throws Exception {
    String password = "E2e-Secret-" + System.nanoTime();
    String user = Platform.newImapUser(password);
    String body =
        """
        {"displayName": "E2E", "host": "%s", "port": %d, "security": "starttls",
         "username": "%s", "password": "%s"}
        """
            .formatted(Platform.IMAP_HOST, Platform.IMAP_PORT, user, password);
    String created =
        api(demoToken)
            .contentType(ContentType.JSON)
            .body(body)
            .post("/api/accounts")
            .then()
            .statusCode(201)
            .extract()
            .asString();
    assertThat(created).doesNotContain(password);
    String accountId = JsonPath.from(created).getString("id");

    // The session is up once the connector has reported the (empty) INBOX.
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(
                        api(demoToken)
                            .get("/api/accounts/{id}/mailboxes", accountId)
                            .jsonPath()
                            .getList("path"))
                    .contains("INBOX"));

    String subject = "Hello end to end " + System.nanoTime();
    Instant appended = Instant.now();
    append(user, password, subject);
    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () ->
                api(demoToken)
                    .queryParam("mailbox", "INBOX")
                    .get("/api/accounts/{id}/messages", accountId)
                    .then()
                    .statusCode(200)
                    .body("items[0].subject", equalTo(subject)));
    Duration lag = Duration.between(appended, Instant.now());
    System.out.printf("appended message visible through the gateway after %d ms%n", lag.toMillis());

    // Another user cannot see it, nor learn that it exists.
    String eve = Platform.token("eve", "eve");
    api(eve).get("/api/accounts/{id}/messages?mailbox=INBOX", accountId).then().statusCode(404);
    api(eve).get("/api/accounts").then().statusCode(200).body(not(containsString(accountId)));

    assertPasswordNowhere(password);
  }

  /** The password appears in no log of the platform and in no Kafka record in clear. */
  private static void assertPasswordNowhere(String password) throws IOException {
    try (Stream<Path> logs = Files.list(Platform.HOME.resolve("logs"))) {
      for (Path log : logs.filter(Files::isRegularFile).toList()) {
        assertThat(Files.readString(log, StandardCharsets.ISO_8859_1))
            .as(log.toString())
            .doesNotContain(password);
      }
    }
    try (TestKafka kafka = new TestKafka(Platform.KAFKA)) {
      for (String topic : Topics.ALL) {
        kafka
            .readUntil(topic, seen -> false, Duration.ofSeconds(2))
            .forEach(
                r ->
                    assertThat(
                            r.value() == null
                                ? ""
                                : new String(r.value(), StandardCharsets.ISO_8859_1))
                        .as(topic)
                        .doesNotContain(password));
      }
    }
  }

  static void append(String user, String password, String subject) throws Exception {
    Properties props = new Properties();
    props.put("mail.imap.starttls.enable", "true");
    props.put("mail.imap.ssl.trust", Platform.IMAP_HOST);
    try (Store store = Session.getInstance(props).getStore("imap")) {
      store.connect(Platform.IMAP_HOST, Platform.IMAP_PORT, user, password);
      MimeMessage m = new MimeMessage((Session) null);
      m.setFrom(new InternetAddress("friend@example.com"));
      m.setRecipients(Message.RecipientType.TO, user + "@localhost");
      m.setSubject(subject);
      m.setSentDate(new Date());
      m.setText("Sent by the end-to-end test.\n");
      Folder inbox = store.getFolder("INBOX");
      inbox.appendMessages(new Message[] {m});
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> demoAccount() {
    List<Map<String, Object>> accounts =
        api(demoToken)
            .get("/api/accounts")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("$");
    return accounts.stream().filter(a -> "demo".equals(a.get("username"))).findFirst().orElse(null);
  }

  private static io.restassured.specification.RequestSpecification api(String token) {
    return given().baseUri(Platform.GATEWAY).auth().oauth2(token);
  }
}
