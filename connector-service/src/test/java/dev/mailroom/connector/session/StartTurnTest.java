package dev.mailroom.connector.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.connector.MailTopic;
import dev.mailroom.connector.SessionManagers;
import dev.mailroom.connector.TestAccounts;
import dev.mailroom.connector.TestDovecot;
import dev.mailroom.events.account.ImapEndpoint;
import dev.mailroom.events.account.Security;
import dev.mailroom.events.connection.ConnectionEstablished;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.testing.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Sessions take turns to log in and catch up (mailroom.imap.concurrent-starts), so an instance that
 * takes over many accounts at once does not open every connection together; and a turn has a time
 * limit (mailroom.imap.start-turn), so a server that never greets cannot hold it.
 */
@QuarkusTest
class StartTurnTest {

  static final TestKafka kafka = TestKafka.shared();
  static final Duration TURN = Duration.ofSeconds(3);

  @Inject SessionManagers managers;

  @ConfigProperty(name = "mailroom.topic.connection")
  String connectionTopic;

  @Test
  void aSessionWaitsForTheTurnOfOneThatHangsButNotLongerThanTheTurnLimit() throws Exception {
    // The waiting session's user first: Dovecot takes seconds to accept a new user's login at
    // times, which must not eat into the hanging session's turn before the other one is asked.
    String password = "pw-" + System.nanoTime();
    String user = TestDovecot.newUser("turn", password);
    SessionManager oneAtATime = managers.withImap(Map.of("concurrentStarts", 1, "startTurn", TURN));
    List<Socket> accepted = new CopyOnWriteArrayList<>();
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread.ofPlatform()
          .daemon()
          .start(
              () -> {
                try {
                  while (true) {
                    accepted.add(silent.accept()); // and never send the greeting
                  }
                } catch (java.io.IOException closed) {
                  // the test is over
                }
              });
      AccountId hanging = AccountId.random();
      oneAtATime.hold(
          TestAccounts.at(
              hanging,
              "silent",
              "pw",
              new ImapEndpoint("127.0.0.1", silent.getLocalPort(), Security.NONE, "silent")),
          0);
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (accepted.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(accepted)
          .as("the hanging session has its turn and is waiting for a greeting")
          .hasSize(1);

      AccountId waiting = AccountId.random();
      Instant asked = Instant.now();
      oneAtATime.hold(TestAccounts.onDovecot(waiting, user, password), 0);
      var events =
          MailTopic.read(
              kafka,
              connectionTopic,
              waiting,
              seen -> !MailTopic.of(seen, ConnectionEstablished.class).isEmpty(),
              Duration.ofSeconds(30));
      Instant connected = MailTopic.of(events, ConnectionEstablished.class).getFirst().at();
      Duration waited = Duration.between(asked, connected);
      assertThat(waited)
          .as("waited for the other session's turn")
          .isGreaterThanOrEqualTo(TURN.minusSeconds(1));
      assertThat(waited)
          .as("but only until the turn limit, not the 120 s read timeout")
          .isLessThan(TURN.plusSeconds(10));
      oneAtATime.release(hanging);
      oneAtATime.release(waiting);
    } finally {
      for (Socket s : accepted) {
        s.close();
      }
    }
  }
}
