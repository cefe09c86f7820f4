package dev.mailroom.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Date;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Search through the whole platform: gateway -> search-service -> Kafka -> connector -> Dovecot for
 * a server with SEARCH=FUZZY, and search-service's own index, fed by the connector's sync, for a
 * server without any index. A misspelled word is found both ways.
 */
class SearchEndToEndIT {

  @Test
  void aMisspelledWordIsFoundOnTheFuzzyServerAndInTheLocalIndex() throws Exception {
    String token = Platform.token("demo", "demo");
    String password = "Search-" + System.nanoTime();
    String fuzzyUser = newUser(password, "userdb_fts=lucene userdb_imap_capability=+SEARCH=FUZZY");
    String plainUser = newUser(password, "");
    for (String user : new String[] {fuzzyUser, plainUser}) {
      append(user, password, "Field trip", "We counted a kangaroo and two emus near the road.");
      append(user, password, "Budget", "The quarterly budget is attached.");
    }
    String fuzzy = connect(token, fuzzyUser, password);
    String plain = connect(token, plainUser, password);

    // The local index answers in full once the connector's first sync reached search-service.
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              JsonPath local = search(token, plain, "kangarro");
              assertThat(local.getString("route")).isEqualTo("local");
              assertThat(local.getBoolean("partial")).isFalse();
              assertThat(local.getList("results.subject")).containsExactly("Field trip");
              assertThat(local.getString("results[0].identity")).isNotBlank();
            });

    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              JsonPath server = search(token, fuzzy, "kangarro");
              assertThat(server.getString("route")).isEqualTo("server-fuzzy");
              assertThat(server.getBoolean("partial")).isFalse();
              assertThat(server.getList("results.uid")).contains(1);
              assertThat(server.getInt("results[0].relevancy")).isBetween(1, 100);
              assertThat(server.getString("results[0].identity"))
                  .as("mapped to the stored message")
                  .isNotBlank();
            });

    JsonPath all =
        given()
            .auth()
            .oauth2(token)
            .queryParam("q", "kangarro")
            .get(Platform.GATEWAY + "/api/search")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(all.getString("accounts.find { it.accountId == '" + fuzzy + "' }.route"))
        .isEqualTo("server-fuzzy");
    assertThat(all.getString("accounts.find { it.accountId == '" + plain + "' }.route"))
        .isEqualTo("local");

    given()
        .auth()
        .oauth2(token)
        .queryParam("q", "form:anna")
        .get(Platform.GATEWAY + "/api/accounts/{id}/search", plain)
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
    // Another user's account cannot be searched, nor found.
    given()
        .auth()
        .oauth2(Platform.token("eve", "eve"))
        .queryParam("q", "kangaroo")
        .get(Platform.GATEWAY + "/api/accounts/{id}/search", plain)
        .then()
        .statusCode(404);
  }

  private static JsonPath search(String token, String account, String q) {
    return given()
        .auth()
        .oauth2(token)
        .queryParam("q", q)
        .get(Platform.GATEWAY + "/api/accounts/{id}/search", account)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  private static String newUser(String password, String fields) throws Exception {
    String user = "e2e-search-" + UUID.randomUUID().toString().substring(0, 8);
    Files.writeString(
        Platform.DOVECOT_USERS,
        user + ":{PLAIN}" + password + "::::::" + fields + "\n",
        StandardOpenOption.APPEND);
    // Dovecot re-reads the passwd-file when its mtime changes, to the second.
    Files.setLastModifiedTime(
        Platform.DOVECOT_USERS,
        java.nio.file.attribute.FileTime.from(java.time.Instant.now().plusSeconds(2)));
    return user;
  }

  private static String connect(String token, String user, String password) {
    String body =
        """
        {"displayName": "Search E2E", "host": "%s", "port": %d, "security": "starttls",
         "username": "%s", "password": "%s"}
        """
            .formatted(Platform.IMAP_HOST, Platform.IMAP_PORT, user, password);
    return given()
        .auth()
        .oauth2(token)
        .contentType(ContentType.JSON)
        .body(body)
        .post(Platform.GATEWAY + "/api/accounts")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  private static void append(String user, String password, String subject, String text)
      throws Exception {
    Properties props = new Properties();
    props.put("mail.imap.starttls.enable", "true");
    props.put("mail.imap.ssl.trust", Platform.IMAP_HOST);
    Exception last = null;
    for (int attempt = 0; attempt < 20; attempt++) {
      try (Store store = Session.getInstance(props).getStore("imap")) {
        store.connect(Platform.IMAP_HOST, Platform.IMAP_PORT, user, password);
        MimeMessage m = new MimeMessage((Session) null);
        m.setFrom(new InternetAddress("ranger@example.com", "Park Ranger"));
        m.setRecipients(Message.RecipientType.TO, user + "@localhost");
        m.setSubject(subject);
        m.setSentDate(new Date());
        m.setText(text);
        m.saveChanges();
        store.getFolder("INBOX").appendMessages(new Message[] {m});
        return;
      } catch (jakarta.mail.AuthenticationFailedException e) {
        last = e; // the passwd-file not re-read yet
        Thread.sleep(500);
      }
    }
    throw last;
  }
}
