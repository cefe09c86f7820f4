package dev.mailroom.health.restart;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.mailroom.events.EventCodec;
import dev.mailroom.events.cloudevents.CloudEventHeaders;
import dev.mailroom.events.connection.ConnectionFailed;
import dev.mailroom.events.connection.FailureCategory;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.status.AccountStatus;
import dev.mailroom.events.status.AccountStatusChanged;
import dev.mailroom.events.testing.TestKafka;
import dev.mailroom.health.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Second half of the restart test, in a freshly started application: the streak that was under way
 * goes on from where it began (not from the restart), and the disconnect that was already announced
 * is not announced again.
 */
@QuarkusTest
@TestProfile(RestartRun.A2AfterRestart.class)
class HealthRestart2AfterTest {

  @ConfigProperty(name = "mailroom.topic.connection")
  String connectionTopic;

  @ConfigProperty(name = "mailroom.topic.account-status")
  String statusTopic;

  @Inject TestClock clock;

  @Test
  void aRestartMidStreakNeitherLosesTheStreakNorFiresTwice() {
    String before = System.getProperty(HealthRestart1BeforeTest.DISCONNECTED_ACCOUNT);
    assertThat(before)
        .as("HealthRestart1BeforeTest runs first, in the application before the restart")
        .isNotNull();
    AccountId disconnected = AccountId.of(before);
    AccountId degraded =
        AccountId.of(System.getProperty(HealthRestart1BeforeTest.DEGRADED_ACCOUNT));
    Instant t0 = TestClock.START;

    asGateway()
        .get("/internal/accounts/{id}/health", degraded.toString())
        .then()
        .body("state", equalTo("degraded"))
        .body("failingSince", equalTo(t0.plusSeconds(60).toString()));
    asGateway()
        .get("/internal/accounts/{id}/health", disconnected.toString())
        .then()
        .body("state", equalTo("disconnected"));

    try (TestKafka kafka = TestKafka.fromEnvironment()) {
      kafka.send(
          connectionTopic,
          new ConnectionFailed(
              disconnected,
              FailureCategory.AUTHENTICATION_FAILED,
              "[AUTHENTICATIONFAILED] Authentication failed.",
              t0.plus(Duration.ofMinutes(7))));
      clock.set(t0.plus(Duration.ofMinutes(6)));
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  asGateway()
                      .get("/internal/accounts/{id}/health", degraded.toString())
                      .then()
                      .body("state", equalTo("disconnected")));
      clock.set(t0.plus(Duration.ofMinutes(60)));

      List<AccountStatusChanged> events = read(kafka, seen -> false, Duration.ofSeconds(3));
      assertThat(events)
          .filteredOn(e -> e.accountId().equals(disconnected))
          .extracting(AccountStatusChanged::status)
          .containsExactly(AccountStatus.DEGRADED, AccountStatus.DISCONNECTED);
      assertThat(events)
          .filteredOn(e -> e.accountId().equals(degraded))
          .extracting(AccountStatusChanged::status, AccountStatusChanged::since)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(AccountStatus.DEGRADED, t0.plusSeconds(60)),
              org.assertj.core.groups.Tuple.tuple(AccountStatus.DISCONNECTED, t0.plusSeconds(60)));
    } finally {
      clock.set(TestClock.START);
    }
  }

  private List<AccountStatusChanged> read(
      TestKafka kafka,
      java.util.function.Predicate<
              List<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>>>
          until,
      Duration timeout) {
    return kafka.readUntil(statusTopic, until, timeout).stream()
        .map(
            r ->
                (AccountStatusChanged)
                    EventCodec.decode(TestKafka.header(r, CloudEventHeaders.TYPE), r.value()))
        .toList();
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
