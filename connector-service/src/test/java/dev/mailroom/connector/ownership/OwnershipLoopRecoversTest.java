package dev.mailroom.connector.ownership;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.connector.SessionManagers;
import dev.mailroom.connector.TestAccounts;
import dev.mailroom.connector.TestDovecot;
import dev.mailroom.connector.session.SessionManager;
import dev.mailroom.events.EventCodec;
import dev.mailroom.events.cloudevents.CloudEventHeaders;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.testing.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * An {@link Error} in the ownership loop (here thrown by the first {@code hold}) does not leave the
 * instance looking alive while it holds nothing: the loop starts again with a new consumer, reads
 * the accounts topic again and holds the account.
 */
@QuarkusTest
class OwnershipLoopRecoversTest {

  @Inject SessionManagers managers;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @Test
  void anErrorInTheLoopRestartsItAndTheAccountIsHeldAfterAll() throws Exception {
    String topic = "connector-test.ownership-recovers." + UUID.randomUUID();
    String group = "connector-test-ownership-recovers-" + UUID.randomUUID();
    SessionManager sessions =
        managers.failingFirstHold(new StackOverflowError("injected in the ownership loop"));
    AccountOwnership ownership =
        new AccountOwnership(
            sessions,
            topic,
            AccountOwnership.consumerProperties(bootstrap, group, Duration.ofSeconds(6)));
    AccountId id = AccountId.random();
    try (TestKafka kafka = TestKafka.fromEnvironment()) {
      kafka.createTopic(topic, 1);
      String password = "pw-" + System.nanoTime();
      String user = TestDovecot.newUser("ownership-recovers", password);
      var event = TestAccounts.onDovecot(id, user, password);
      var record = new ProducerRecord<>(topic, 0, id.toString(), EventCodec.encode(event));
      CloudEventHeaders.of(event, "test", Instant.now())
          .forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
      kafka.sendRaw(record);

      ownership.start();
      Instant deadline = Instant.now().plusSeconds(30);
      while (!sessions.held().contains(id) && Instant.now().isBefore(deadline)) {
        Thread.sleep(100);
      }
      assertThat(sessions.held()).as("held once the loop started again").containsExactly(id);
      assertThat(ownership.isPolling(Duration.ofSeconds(5))).as("the loop polls again").isTrue();
    } finally {
      ownership.stop();
      sessions.held().forEach(sessions::release);
    }
  }
}
