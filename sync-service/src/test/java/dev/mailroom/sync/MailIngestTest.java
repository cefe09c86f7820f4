package dev.mailroom.sync;

import static dev.mailroom.sync.StoreFixtures.account;
import static dev.mailroom.sync.StoreFixtures.added;
import static dev.mailroom.sync.StoreFixtures.identity;
import static dev.mailroom.sync.StoreFixtures.status;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasSize;

import dev.mailroom.events.cloudevents.CloudEventHeaders;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.testing.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Events on a real Kafka topic end as rows in a real PostgreSQL, whatever the duplicates. */
@QuarkusTest
class MailIngestTest {

  static final TestKafka kafka = TestKafka.shared();

  @ConfigProperty(name = "mailroom.topic.mail")
  String mailTopic;

  @ConfigProperty(name = "mailroom.topic.accounts")
  String accountsTopic;

  @ConfigProperty(name = "mailroom.topic.dead-letter")
  String deadLetterTopic;

  @Inject EntityManager em;

  @Test
  void messagesMailboxesAndAccountAreStoredOnceWhateverTheDuplicates() {
    AccountId id = AccountId.random();
    String owner = "owner-" + UUID.randomUUID();
    var events =
        List.of(
            added(id, "INBOX", 1, identity(1), 1, "\\Seen"),
            added(id, "INBOX", 2, identity(2), 2),
            // The same message (same identity) also in Archive: one message, two locations.
            added(id, "Archive", 1, identity(1), 1, "\\Seen"),
            status(id, "INBOX", 3, 2, 1),
            status(id, "Archive", 2, 1, 0));
    kafka.send(accountsTopic, account(id, owner));
    for (int round = 0; round < 3; round++) { // every event delivered three times
      events.forEach(e -> kafka.send(mailTopic, e));
    }

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                asGateway()
                    .get("/internal/accounts/{id}/mailboxes", id.toString())
                    .then()
                    .statusCode(200)
                    .body("$", hasSize(2)));

    // The account comes from another topic, so it may land a moment before or after its mail.
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                asGateway()
                    .queryParam("owner", owner)
                    .get("/internal/accounts")
                    .then()
                    .statusCode(200)
                    .body("[0].id", org.hamcrest.Matchers.equalTo(id.toString()))
                    .body("[0].host", org.hamcrest.Matchers.equalTo("imap.example.com")));
    JsonPath mailboxes =
        asGateway().get("/internal/accounts/{id}/mailboxes", id.toString()).jsonPath();
    assertThat(mailboxes.getList("path")).containsExactly("Archive", "INBOX");
    assertThat(mailboxes.getList("role")).containsExactly("archive", null);
    assertThat(mailboxes.getList("total", Integer.class)).containsExactly(1, 2);
    assertThat(mailboxes.getList("unread", Integer.class)).containsExactly(0, 1);
    assertThat(mailboxes.getList("stored", Integer.class)).containsExactly(1, 2);

    assertThat(count("select count(*) from message where account_id = ?1", id)).isEqualTo(2);
    assertThat(count("select count(*) from message_location where account_id = ?1", id))
        .isEqualTo(3);
  }

  @Test
  void messageListIsNewestFirstWithACursor() {
    AccountId id = AccountId.random();
    for (int uid = 1; uid <= 5; uid++) {
      kafka.send(mailTopic, added(id, "INBOX", uid, identity(100 + uid), uid));
    }
    kafka.send(mailTopic, status(id, "INBOX", 6, 5, 5));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                asGateway()
                    .queryParam("mailbox", "INBOX")
                    .queryParam("limit", 200)
                    .get("/internal/accounts/{id}/messages", id.toString())
                    .then()
                    .body("items", hasSize(5)));

    JsonPath first =
        asGateway()
            .queryParam("mailbox", "INBOX")
            .queryParam("limit", 2)
            .get("/internal/accounts/{id}/messages", id.toString())
            .jsonPath();
    assertThat(first.getList("items.uid", Integer.class)).containsExactly(5, 4);
    JsonPath second =
        asGateway()
            .queryParam("mailbox", "INBOX")
            .queryParam("limit", 2)
            .queryParam("cursor", first.getString("nextCursor"))
            .get("/internal/accounts/{id}/messages", id.toString())
            .jsonPath();
    assertThat(second.getList("items.uid", Integer.class)).containsExactly(3, 2);
    JsonPath last =
        asGateway()
            .queryParam("mailbox", "INBOX")
            .queryParam("limit", 2)
            .queryParam("cursor", second.getString("nextCursor"))
            .get("/internal/accounts/{id}/messages", id.toString())
            .jsonPath();
    assertThat(last.getList("items.uid", Integer.class)).containsExactly(1);
    assertThat(last.getString("nextCursor")).isNull();
    assertThat(first.getString("items[0].subject")).isEqualTo("Subject " + identity(105));
  }

  @Test
  void badQueriesAreProblemsThatSayWhatToFix() {
    String id = UUID.randomUUID().toString();
    asGateway()
        .get("/internal/accounts/{id}/messages", id)
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("detail", org.hamcrest.Matchers.containsString("mailbox"));
    asGateway()
        .queryParam("mailbox", "INBOX")
        .queryParam("cursor", "garbage!")
        .get("/internal/accounts/{id}/messages", id)
        .then()
        .statusCode(400)
        .body("detail", org.hamcrest.Matchers.containsString("cursor"));
    asGateway().get("/internal/accounts/{id}", id).then().statusCode(404);
  }

  @Test
  void malformedEventIsDeadLetteredAndLaterEventsOfTheAccountGoOn() {
    AccountId id = AccountId.random();
    var poison =
        new ProducerRecord<String, byte[]>(
            mailTopic, id.toString(), "{\"accountId\":\"not json".getBytes(StandardCharsets.UTF_8));
    poison
        .headers()
        .add(CloudEventHeaders.TYPE, "mailroom.message.added.v1".getBytes(StandardCharsets.UTF_8));
    kafka.sendRaw(poison);
    kafka.send(mailTopic, added(id, "INBOX", 9, identity(900), 1));
    kafka.send(mailTopic, status(id, "INBOX", 10, 1, 1));

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(count("select count(*) from message_location where account_id = ?1", id))
                    .isEqualTo(1));
    var dead =
        kafka.readUntil(
            deadLetterTopic,
            seen -> seen.stream().anyMatch(r -> id.toString().equals(r.key())),
            Duration.ofSeconds(20));
    var letter = dead.stream().filter(r -> id.toString().equals(r.key())).findFirst().orElseThrow();
    assertThat(TestKafka.header(letter, "mailroom_dlq_reason"))
        .contains("mailroom.message.added.v1");
    assertThat(TestKafka.header(letter, "mailroom_dlq_origin")).startsWith(mailTopic + "-");
  }

  private long count(String sql, AccountId id) {
    return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
        .call(
            () ->
                ((Number)
                        em.createNativeQuery(sql.replace("?1", ":id"))
                            .setParameter("id", id.value())
                            .getSingleResult())
                    .longValue());
  }

  /**
   * The token first, outside any wait: Keycloak's first grant can take seconds on a busy machine.
   */
  @org.junit.jupiter.api.BeforeAll
  static void fetchTheGatewaysToken() {
    dev.mailroom.events.testing.ServiceTokens.gateway();
  }

  /** As the gateway calls it: with the gateway's own service token (ADR 0007). */
  private static io.restassured.specification.RequestSpecification asGateway() {
    return given().auth().oauth2(dev.mailroom.events.testing.ServiceTokens.gateway());
  }
}
