package dev.mailroom.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.restassured.path.json.JsonPath;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The gateway's message detail, conversations, live events and account deletion on the real
 * platform: Dovecot -> connector -> Kafka -> sync-service -> gateway, and health-service.
 */
class GatewayLiveIT {

  private static final String SYNC_DB = "mailroom_sync";
  private static final String HEALTH_DB = "mailroom_health";

  @Test
  void aNewMessageAndItsFlagArriveLiveAndADeletedAccountIsGoneFromEveryStore() throws Exception {
    String demo = Platform.token("demo", "demo");
    String password = "Live-" + System.nanoTime();
    String user = Platform.newImapUser(password);
    String accountId = Platform.addAccount(demo, "Live", user, password);
    // Read your own writes: listed right after the 201.
    api(demo).get("/api/accounts").then().statusCode(200).body("id", hasItem(accountId));
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(
                        api(demo)
                            .get("/api/accounts/{id}/mailboxes", accountId)
                            .jsonPath()
                            .getList("path"))
                    .contains("INBOX"));

    try (SseClient stream = new SseClient(Platform.GATEWAY + "/api/events", demo, null);
        SseClient eves =
            new SseClient(Platform.GATEWAY + "/api/events", Platform.token("eve", "eve"), null)) {
      assertThat(stream.status).isEqualTo(200);
      assertThat(stream.next("ready", Duration.ofSeconds(20))).isNotNull();
      assertThat(eves.next("ready", Duration.ofSeconds(20))).isNotNull();

      String subject = "Live " + System.nanoTime();
      long appended = System.nanoTime();
      EndToEndIT.append(user, password, subject);
      SseClient.Event added = stream.next("message.added", Duration.ofSeconds(20));
      assertThat(added).as("message.added on the stream").isNotNull();
      System.out.printf(
          "appended message on the event stream after %d ms%n",
          (System.nanoTime() - appended) / 1_000_000);
      assertThat(added.data()).contains(accountId, "\"mailbox\":\"INBOX\"");
      String messageId = JsonPath.from(added.data()).getString("id");

      JsonPath detail =
          api(demo)
              .get("/api/accounts/{id}/messages/{m}", accountId, messageId)
              .then()
              .statusCode(200)
              .extract()
              .jsonPath();
      assertThat(detail.getString("subject")).isEqualTo(subject);
      assertThat(detail.getString("textBody")).contains("Sent by the end-to-end test.");
      assertThat(detail.getList("locations.mailbox")).containsExactly("INBOX");
      api(demo)
          .get("/api/accounts/{id}/conversations/{t}", accountId, detail.getString("threadId"))
          .then()
          .statusCode(200)
          .body("messages[0].subject", equalTo(subject));

      long flagged = System.nanoTime();
      flag(user, password);
      SseClient.Event changed = stream.next("message.changed", Duration.ofSeconds(20));
      assertThat(changed).as("message.changed on the stream").isNotNull();
      System.out.printf(
          "flag set on the server on the event stream after %d ms%n",
          (System.nanoTime() - flagged) / 1_000_000);

      // Deletion: 202, gone from the list at once, from every store within seconds.
      api(demo).delete("/api/accounts/{id}", accountId).then().statusCode(202);
      api(demo).get("/api/accounts").then().statusCode(200).body(not(containsString(accountId)));
      api(demo).get("/api/accounts/{id}", accountId).then().statusCode(404);
      assertThat(stream.next("account.deleted", Duration.ofSeconds(20))).isNotNull();
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                assertThat(
                        Psql.count(
                            SYNC_DB,
                            "select (select count(*) from message where account_id = '"
                                + accountId
                                + "') + (select count(*) from mailbox where account_id = '"
                                + accountId
                                + "') + (select count(*) from change_log where account_id = '"
                                + accountId
                                + "' and kind <> 'account.deleted')"))
                    .isZero();
                assertThat(
                        Psql.count(
                            HEALTH_DB,
                            "select count(*) from account_health where account_id = '"
                                + accountId
                                + "'"))
                    .isZero();
              });
      assertThat(new ArrayList<>(eves.events)).noneMatch(e -> e.data().contains(accountId));
    }
  }

  private static void flag(String user, String password) throws Exception {
    Properties props = new Properties();
    props.put("mail.imap.starttls.enable", "true");
    props.put("mail.imap.ssl.trust", Platform.IMAP_HOST);
    try (Store store = Session.getInstance(props).getStore("imap")) {
      store.connect(Platform.IMAP_HOST, Platform.IMAP_PORT, user, password);
      Folder inbox = store.getFolder("INBOX");
      inbox.open(Folder.READ_WRITE);
      inbox.getMessage(1).setFlag(Flags.Flag.FLAGGED, true);
      inbox.close(false);
    }
  }

  private static io.restassured.specification.RequestSpecification api(String token) {
    return given().baseUri(Platform.GATEWAY).auth().oauth2(token);
  }
}
