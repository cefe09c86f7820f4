package dev.mailroom.sync;

import static dev.mailroom.sync.StoreFixtures.account;
import static dev.mailroom.sync.StoreFixtures.added;
import static dev.mailroom.sync.StoreFixtures.identity;
import static dev.mailroom.sync.StoreFixtures.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.testing.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A tombstone on the (real) accounts topic removes the account and its mail from the (real) store,
 * its outbox with it, and its change log ends with account.deleted, the last change a live stream
 * sends.
 */
@QuarkusTest
class AccountDeletionTest {

  static final TestKafka kafka = TestKafka.shared();

  @ConfigProperty(name = "mailroom.topic.mail")
  String mailTopic;

  @ConfigProperty(name = "mailroom.topic.accounts")
  String accountsTopic;

  @Test
  void aTombstoneEmptiesTheStoreAndEndsTheChangeLog() {
    AccountId id = AccountId.random();
    kafka.send(accountsTopic, account(id, "owner-" + UUID.randomUUID()));
    kafka.send(mailTopic, added(id, "INBOX", 1, identity(1), 1));
    kafka.send(mailTopic, status(id, "INBOX", 2, 1, 1));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> asGateway().get("/internal/accounts/{id}", id.toString()).then().statusCode(200));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(
                        asGateway()
                            .get("/internal/accounts/{id}/changes", id.toString())
                            .jsonPath()
                            .getList("changes.kind"))
                    .contains("message.added", "mailbox.changed"));
    // Something in its outbox, MIME included: it goes with the account.
    java.util.UUID queued = java.util.UUID.randomUUID();
    asGateway()
        .contentType(io.restassured.http.ContentType.JSON)
        .body(
            java.util.Map.of(
                "id",
                queued,
                "messageId",
                "<" + queued + "@example.com>",
                "envelopeFrom",
                "me@example.com",
                "recipients",
                java.util.List.of("you@example.com"),
                "mime",
                "U3ViamVjdDogeA0KDQp4"))
        .post("/internal/accounts/{id}/outbox", id.toString())
        .then()
        .statusCode(201);
    long head =
        asGateway()
            .get("/internal/accounts/{id}/changes/head", id.toString())
            .jsonPath()
            .getLong("cursor");
    assertThat(head).isPositive();

    kafka.sendRaw(new ProducerRecord<>(accountsTopic, id.toString(), null));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> asGateway().get("/internal/accounts/{id}", id.toString()).then().statusCode(404));
    asGateway()
        .get("/internal/accounts/{id}/mailboxes", id.toString())
        .then()
        .statusCode(200)
        .body("size()", org.hamcrest.Matchers.equalTo(0));
    asGateway()
        .get("/internal/accounts/{id}/outbox/{o}/mime", id.toString(), queued)
        .then()
        .statusCode(404);
    JsonPath after =
        asGateway()
            .queryParam("after", head)
            .get("/internal/accounts/{id}/changes", id.toString())
            .jsonPath();
    assertThat(after.getList("changes.kind")).containsExactly("account.deleted");

    // A replayed tombstone changes nothing more.
    kafka.sendRaw(new ProducerRecord<>(accountsTopic, id.toString(), null));
    kafka.send(accountsTopic, account(AccountId.random(), "someone-else")); // a marker after it
    await()
        .pollDelay(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(
                        asGateway()
                            .get("/internal/accounts/{id}/changes", id.toString())
                            .jsonPath()
                            .getList("changes.kind"))
                    .containsExactly("account.deleted"));
  }

  /** As the gateway calls it: with the gateway's own service token (ADR 0007). */
  private static io.restassured.specification.RequestSpecification asGateway() {
    return io.restassured.RestAssured.given()
        .auth()
        .oauth2(dev.mailroom.events.testing.ServiceTokens.gateway());
  }
}
