package dev.mailroom.connector.ownership;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.connector.TestDovecot;
import dev.mailroom.connector.session.SessionManager;
import dev.mailroom.events.EventCodec;
import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.events.account.ImapEndpoint;
import dev.mailroom.events.account.Security;
import dev.mailroom.events.cloudevents.CloudEventHeaders;
import dev.mailroom.events.connection.ConnectionEstablished;
import dev.mailroom.events.connection.FailureCategory;
import dev.mailroom.events.crypto.SecretBox;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.status.AccountStatus;
import dev.mailroom.events.status.AccountStatusChanged;
import dev.mailroom.events.testing.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The connector follows health-service's account status: a disconnected account is no longer
 * retried, and the owner's reconnect makes it connect again, against the real Kafka and Dovecot.
 */
@QuarkusTest
class AccountStatusFollowTest {

  @ConfigProperty(name = "mailroom.topic.accounts")
  String accountsTopic;

  @ConfigProperty(name = "mailroom.topic.connection")
  String connectionTopic;

  @ConfigProperty(name = "mailroom.topic.account-status")
  String statusTopic;

  @ConfigProperty(name = "mailroom.credentials.key-id")
  String keyId;

  @ConfigProperty(name = "mailroom.credentials.key")
  String key;

  @Inject SessionManager sessions;

  @Test
  void aDisconnectedAccountIsNotRetriedUntilItsOwnerAsksToReconnect() throws Exception {
    String password = "Status-pw-" + System.nanoTime();
    String user = TestDovecot.newUser("status", password);
    AccountId id = AccountId.random();
    try (TestKafka kafka = TestKafka.fromEnvironment()) {
      kafka.createTopic(accountsTopic, 3);
      kafka.createTopic(statusTopic, 3);
      var endpoint = new ImapEndpoint(TestDovecot.HOST, TestDovecot.IMAPS_PORT, Security.TLS, user);
      var sealed = SecretBox.of(keyId, Map.of(keyId, key)).seal(password, id, endpoint);
      kafka.send(
          accountsTopic,
          new AccountDefined(
              id,
              "owner",
              user,
              user + "@localhost",
              endpoint,
              sealed,
              Instant.now(),
              Instant.now()));
      awaitTrue(() -> established(kafka, id) == 1);

      Instant t0 = Instant.now();
      kafka.send(
          statusTopic,
          new AccountStatusChanged(
              id,
              AccountStatus.DISCONNECTED,
              t0.minusSeconds(1800),
              FailureCategory.TIMEOUT,
              "Read timed out",
              t0));
      awaitTrue(() -> !sessions.held().contains(id));
      // Stays parked: not held again, no new connection.
      Thread.sleep(3000);
      assertThat(sessions.held()).doesNotContain(id);
      assertThat(established(kafka, id)).isEqualTo(1);

      kafka.send(
          statusTopic,
          new AccountStatusChanged(
              id,
              AccountStatus.RECONNECTING,
              Instant.now(),
              FailureCategory.TIMEOUT,
              "Read timed out",
              Instant.now()));
      awaitTrue(() -> sessions.held().contains(id));
      awaitTrue(() -> established(kafka, id) == 2);
    } finally {
      sessions.release(id);
    }
  }

  private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 30 s").isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  private long established(TestKafka kafka, AccountId id) {
    return kafka.readUntil(connectionTopic, seen -> false, Duration.ofSeconds(1)).stream()
        .filter(r -> id.toString().equals(r.key()))
        .map(r -> EventCodec.decode(TestKafka.header(r, CloudEventHeaders.TYPE), r.value()))
        .filter(ConnectionEstablished.class::isInstance)
        .count();
  }
}
