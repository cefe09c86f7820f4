package dev.mailroom.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.mailroom.events.connection.ConnectionFailed;
import dev.mailroom.events.connection.FailureCategory;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.testing.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A tombstone on the (real) accounts topic removes the account's health row and puts a tombstone on
 * the compacted account-status topic, so the account's last status does not outlive it.
 */
@QuarkusTest
class AccountDeletionTest {

  @ConfigProperty(name = "mailroom.topic.connection")
  String connection;

  @ConfigProperty(name = "mailroom.topic.accounts")
  String accounts;

  @ConfigProperty(name = "mailroom.topic.account-status")
  String status;

  @Test
  void aDeletedAccountsHealthIsForgotten() {
    AccountId id = AccountId.random();
    AccountId other = AccountId.random();
    Instant t0 = Instant.now();
    try (TestKafka kafka = TestKafka.fromEnvironment()) {
      kafka.send(
          connection, new ConnectionFailed(id, FailureCategory.TIMEOUT, "Read timed out", t0));
      kafka.send(
          connection, new ConnectionFailed(other, FailureCategory.TIMEOUT, "Read timed out", t0));
      for (AccountId a : new AccountId[] {id, other}) {
        await()
            .atMost(Duration.ofSeconds(20))
            .untilAsserted(
                () ->
                    asGateway()
                        .get("/internal/accounts/{id}/health", a.toString())
                        .then()
                        .statusCode(200)
                        .body("state", equalTo("degraded")));
      }

      kafka.sendRaw(new ProducerRecord<>(accounts, id.toString(), null));

      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  asGateway()
                      .get("/internal/accounts/{id}/health", id.toString())
                      .then()
                      .statusCode(404));
      asGateway().get("/internal/accounts/{id}/health", other.toString()).then().statusCode(200);
      var records =
          kafka.readUntil(
              status,
              seen ->
                  seen.stream().anyMatch(r -> id.toString().equals(r.key()) && r.value() == null),
              Duration.ofSeconds(20));
      assertThat(records).anyMatch(r -> id.toString().equals(r.key()) && r.value() == null);
    }
  }

  /** As the gateway calls it: with the gateway's own service token (ADR 0007). */
  private static io.restassured.specification.RequestSpecification asGateway() {
    return io.restassured.RestAssured.given()
        .auth()
        .oauth2(dev.mailroom.events.testing.ServiceTokens.gateway());
  }
}
