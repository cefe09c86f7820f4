package dev.mailroom.health;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.mailroom.events.cloudevents.CloudEventHeaders;
import dev.mailroom.events.connection.ConnectionEstablished;
import dev.mailroom.events.connection.ConnectionFailed;
import dev.mailroom.events.connection.FailureCategory;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.status.AccountStatus;
import dev.mailroom.events.status.AccountStatusChanged;
import dev.mailroom.events.testing.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The disconnect rule on a real Kafka and PostgreSQL, with the clock moved by hand and a 5-minute
 * window ({@code %test.mailroom.health.disconnect-after}).
 */
@QuarkusTest
class DisconnectWindowTest {

  @ConfigProperty(name = "mailroom.topic.connection")
  String connectionTopic;

  @ConfigProperty(name = "mailroom.topic.account-status")
  String statusTopic;

  @Inject TestClock clock;

  @Test
  void disconnectFiresOnceAfterTheWindowNotBeforeAndReconnectMakesItConnectedAgain() {
    AccountId id = AccountId.random();
    Instant t0 = clock.instant();
    try (TestKafka kafka = TestKafka.fromEnvironment()) {
      kafka.send(
          connectionTopic,
          new ConnectionFailed(id, FailureCategory.HOST_UNREACHABLE, "Connection refused", t0));
      kafka.send(
          connectionTopic,
          new ConnectionFailed(
              id, FailureCategory.TIMEOUT, "connect timed out", t0.plusSeconds(60)));
      awaitState(id, "degraded");

      // One second short of the window: several sweeps run, none disconnects.
      clock.set(t0.plus(Duration.ofMinutes(5)).minusSeconds(1));
      List<AccountStatusChanged> before =
          StatusEvents.read(
              kafka,
              statusTopic,
              id,
              seen -> StatusEvents.count(seen, AccountStatus.DISCONNECTED) > 0,
              Duration.ofSeconds(2));
      assertThat(before)
          .extracting(AccountStatusChanged::status)
          .containsExactly(AccountStatus.DEGRADED);

      clock.set(t0.plus(Duration.ofMinutes(5)));
      awaitState(id, "disconnected");
      // Failures that still trickle in, and many more sweeps, fire nothing more.
      kafka.send(
          connectionTopic,
          new ConnectionFailed(
              id, FailureCategory.TIMEOUT, "connect timed out", t0.plusSeconds(400)));
      clock.set(t0.plus(Duration.ofMinutes(50)));
      List<AccountStatusChanged> after =
          StatusEvents.read(
              kafka,
              statusTopic,
              id,
              seen -> StatusEvents.count(seen, AccountStatus.DISCONNECTED) > 1,
              Duration.ofSeconds(3));
      assertThat(StatusEvents.count(after, AccountStatus.DISCONNECTED)).isEqualTo(1);
      AccountStatusChanged disconnect =
          after.stream()
              .filter(e -> e.status() == AccountStatus.DISCONNECTED)
              .findFirst()
              .orElseThrow();
      assertThat(disconnect.since()).isEqualTo(t0);
      assertThat(disconnect.reason()).isEqualTo(FailureCategory.TIMEOUT);
      assertThat(disconnect.at()).isEqualTo(t0.plus(Duration.ofMinutes(5)));
      asGateway()
          .get("/internal/accounts/{id}/health", id.toString())
          .then()
          .body("state", equalTo("disconnected"))
          .body("lastCategory", equalTo("TIMEOUT"));

      // The owner presses Reconnect; the connector tries again and succeeds.
      asGateway().post("/internal/accounts/{id}/reconnect", id.toString()).then().statusCode(202);
      asGateway().post("/internal/accounts/{id}/reconnect", id.toString()).then().statusCode(409);
      kafka.send(
          connectionTopic,
          new ConnectionEstablished(id, List.of("IMAP4rev1"), t0.plus(Duration.ofMinutes(51))));
      awaitState(id, "connected");
      List<AccountStatusChanged> all =
          StatusEvents.read(
              kafka,
              statusTopic,
              id,
              seen -> StatusEvents.count(seen, AccountStatus.CONNECTED) > 0,
              Duration.ofSeconds(10));
      assertThat(all)
          .extracting(AccountStatusChanged::status)
          .containsExactly(
              AccountStatus.DEGRADED,
              AccountStatus.DISCONNECTED,
              AccountStatus.RECONNECTING,
              AccountStatus.CONNECTED);
      var records = kafka.readUntil(statusTopic, seen -> !seen.isEmpty(), Duration.ofSeconds(5));
      // Every status record carries its CloudEvents type; a tombstone (a deleted account's, from
      // another test in this app) has no value and no headers.
      assertThat(records)
          .filteredOn(r -> r.value() != null)
          .allSatisfy(
              r ->
                  assertThat(TestKafka.header(r, CloudEventHeaders.TYPE))
                      .isEqualTo("mailroom.account.status-changed.v1"));
    } finally {
      clock.set(TestClock.START);
    }
  }

  @Test
  void aSuccessEndsTheStreakSoTheWindowStartsAgain() {
    AccountId id = AccountId.random();
    Instant t0 = clock.instant();
    try (TestKafka kafka = TestKafka.fromEnvironment()) {
      kafka.send(
          connectionTopic,
          new ConnectionFailed(id, FailureCategory.TIMEOUT, "connect timed out", t0));
      kafka.send(
          connectionTopic,
          new ConnectionEstablished(id, List.of("IMAP4rev1"), t0.plusSeconds(240)));
      kafka.send(
          connectionTopic,
          new ConnectionFailed(
              id, FailureCategory.TIMEOUT, "connect timed out", t0.plusSeconds(250)));
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  asGateway()
                      .get("/internal/accounts/{id}/health", id.toString())
                      .then()
                      .statusCode(200)
                      .body("state", equalTo("degraded"))
                      .body("failingSince", equalTo(t0.plusSeconds(250).toString())));
      // Six minutes after the first failure, but only two after the new streak began.
      clock.set(t0.plusSeconds(370));
      List<AccountStatusChanged> events =
          StatusEvents.read(
              kafka,
              statusTopic,
              id,
              seen -> StatusEvents.count(seen, AccountStatus.DISCONNECTED) > 0,
              Duration.ofSeconds(2));
      assertThat(events)
          .extracting(AccountStatusChanged::status)
          .containsExactly(AccountStatus.DEGRADED, AccountStatus.CONNECTED, AccountStatus.DEGRADED);
    } finally {
      clock.set(TestClock.START);
    }
  }

  private static void awaitState(AccountId id, String state) {
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                asGateway()
                    .get("/internal/accounts/{id}/health", id.toString())
                    .then()
                    .statusCode(200)
                    .body("state", equalTo(state)));
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
