package dev.mailroom.health.restart;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.mailroom.events.connection.ConnectionFailed;
import dev.mailroom.events.connection.FailureCategory;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.testing.TestKafka;
import dev.mailroom.health.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * First half of the restart test (the second is {@link HealthRestart2AfterTest}): one account is
 * disconnected, another is in the middle of its failure streak, when health-service stops.
 */
@QuarkusTest
@TestProfile(RestartRun.A1BeforeRestart.class)
class HealthRestart1BeforeTest {

  static final String DISCONNECTED_ACCOUNT = "mailroom.test.restart.disconnected";
  static final String DEGRADED_ACCOUNT = "mailroom.test.restart.degraded";

  @ConfigProperty(name = "mailroom.topic.connection")
  String connectionTopic;

  @Inject TestClock clock;

  @Test
  void streaksAreUnderWayWhenTheServiceStops() {
    AccountId disconnected = AccountId.random();
    AccountId degraded = AccountId.random();
    Instant t0 = TestClock.START;
    try (TestKafka kafka = TestKafka.fromEnvironment()) {
      kafka.send(
          connectionTopic,
          new ConnectionFailed(
              disconnected,
              FailureCategory.AUTHENTICATION_FAILED,
              "[AUTHENTICATIONFAILED] Authentication failed.",
              t0));
      kafka.send(
          connectionTopic,
          new ConnectionFailed(
              degraded,
              FailureCategory.HOST_UNREACHABLE,
              "Connection refused",
              t0.plusSeconds(60)));
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  asGateway()
                      .get("/internal/accounts/{id}/health", degraded.toString())
                      .then()
                      .statusCode(200));
      clock.set(t0.plus(Duration.ofMinutes(5)));
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                asGateway()
                    .get("/internal/accounts/{id}/health", disconnected.toString())
                    .then()
                    .body("state", equalTo("disconnected"));
                asGateway()
                    .get("/internal/accounts/{id}/health", degraded.toString())
                    .then()
                    .body("state", equalTo("degraded"));
              });
      // Let the relay put the disconnect on Kafka before the service stops.
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  !kafka
                      .readUntil(
                          RestartRun.config().get("mailroom.topic.account-status").toString(),
                          seen ->
                              seen.stream()
                                  .anyMatch(
                                      r ->
                                          disconnected.toString().equals(r.key())
                                              && r.value().length > 0
                                              && new String(r.value()).contains("DISCONNECTED")),
                          Duration.ofSeconds(2))
                      .isEmpty());
    }
    System.setProperty(DISCONNECTED_ACCOUNT, disconnected.toString());
    System.setProperty(DEGRADED_ACCOUNT, degraded.toString());
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
