package dev.mailroom.health;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.mailroom.events.connection.ConnectionEstablished;
import dev.mailroom.events.connection.ConnectionFailed;
import dev.mailroom.events.connection.FailureCategory;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.testing.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Connection events on a real Kafka decide the account's state, kept in a real PostgreSQL. */
@QuarkusTest
class ConnectionHealthTest {

  @ConfigProperty(name = "mailroom.topic.connection")
  String topic;

  @Test
  void failuresStartAStreakThatASuccessEnds() {
    AccountId id = AccountId.random();
    Instant t0 = Instant.parse("2026-11-26T08:00:00Z");
    try (TestKafka kafka = TestKafka.fromEnvironment()) {
      kafka.send(
          topic,
          new ConnectionFailed(id, FailureCategory.HOST_UNREACHABLE, "Connection refused", t0));
      kafka.send(
          topic,
          new ConnectionFailed(id, FailureCategory.TIMEOUT, "Read timed out", t0.plusSeconds(60)));
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  asGateway()
                      .get("/internal/accounts/{id}/health", id.toString())
                      .then()
                      .statusCode(200)
                      .body("state", equalTo("degraded"))
                      .body("failingSince", equalTo("2026-11-26T08:00:00Z"))
                      .body("lastCategory", equalTo("TIMEOUT")));

      kafka.send(
          topic, new ConnectionEstablished(id, List.of("IMAP4rev1", "IDLE"), t0.plusSeconds(120)));
      // A replay of an old failure after the success changes nothing.
      kafka.send(
          topic,
          new ConnectionFailed(id, FailureCategory.TIMEOUT, "Read timed out", t0.plusSeconds(60)));
      kafka.send(
          topic, new ConnectionEstablished(id, List.of("IMAP4rev1", "IDLE"), t0.plusSeconds(121)));
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  asGateway()
                      .get("/internal/accounts/{id}/health", id.toString())
                      .then()
                      .statusCode(200)
                      .body("state", equalTo("connected"))
                      .body("failingSince", nullValue())
                      .body("lastEventAt", equalTo("2026-11-26T08:02:01Z")));
    }
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
