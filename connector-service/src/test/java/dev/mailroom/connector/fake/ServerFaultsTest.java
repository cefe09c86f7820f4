package dev.mailroom.connector.fake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.connector.MailTopic;
import dev.mailroom.events.MailroomEvent;
import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.events.account.ImapEndpoint;
import dev.mailroom.events.account.Security;
import dev.mailroom.events.connection.ConnectionFailed;
import dev.mailroom.events.crypto.SecretBox;
import dev.mailroom.events.mail.MailboxStatus;
import dev.mailroom.events.mail.MessageAdded;
import dev.mailroom.events.mail.MessageSkipped;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.testing.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Replies a real server will not give, from a scripted server: one message whose FETCH reply the
 * client cannot parse is skipped with a {@code message.skipped} event while the others go on, and
 * a BYE in the middle of a FETCH is reported as a connection failure and then recovered from
 * without losing or repeating a message.
 */
@QuarkusTest
class ServerFaultsTest {

  static TestKafka kafka;

  @ConfigProperty(name = "mailroom.topic.accounts") String accountsTopic;
  @ConfigProperty(name = "mailroom.topic.mail") String mailTopic;
  @ConfigProperty(name = "mailroom.topic.connection") String connectionTopic;
  @ConfigProperty(name = "mailroom.credentials.key-id") String keyId;
  @ConfigProperty(name = "mailroom.credentials.key") String key;

  @BeforeAll
  static void connect() {
    kafka = TestKafka.fromEnvironment();
  }

  @AfterAll
  static void disconnect() {
    kafka.close();
  }

  @Test
  void anUnparseableMessageIsSkippedAndTheOthersArrive() throws Exception {
    try (var server = new ScriptedImapServer(3, seq -> seq == 2
        // An unbalanced BODYSTRUCTURE and an absurd size: the parser refuses the whole reply.
        ? "UID 2 FLAGS () RFC822.SIZE 99999999999999999999 BODYSTRUCTURE ((\"TEXT\" \"PLAIN\" (\"CHARSET\""
        : ScriptedImapServer.goodMessage(seq), 0)) {
      AccountId id = define(server.port());
      List<MailroomEvent> events = MailTopic.read(kafka, mailTopic, id,
          seen -> !MailTopic.of(seen, MailboxStatus.class).isEmpty(), Duration.ofSeconds(40));
      assertThat(MailTopic.of(events, MessageAdded.class)).extracting(m -> m.uid().value())
          .containsExactlyInAnyOrder(1L, 3L);
      assertThat(MailTopic.of(events, MessageSkipped.class)).singleElement().satisfies(s -> {
        assertThat(s.uid().value()).isEqualTo(2L);
        assertThat(s.reason()).isNotBlank();
      });
    }
  }

  @Test
  void byeInTheMiddleOfAFetchIsReportedAndRecoveredFrom() throws Exception {
    try (var server = new ScriptedImapServer(3, ScriptedImapServer::goodMessage, 1)) {
      AccountId id = define(server.port());
      List<MailroomEvent> events = MailTopic.read(kafka, mailTopic, id,
          seen -> !MailTopic.of(seen, MailboxStatus.class).isEmpty(), Duration.ofSeconds(40));
      assertThat(MailTopic.of(events, MessageAdded.class)).extracting(m -> m.uid().value())
          .containsExactlyInAnyOrder(1L, 2L, 3L);
      assertThat(MailTopic.of(events, MessageSkipped.class)).isEmpty();
      List<MailroomEvent> connection = MailTopic.read(kafka, connectionTopic, id,
          seen -> !MailTopic.of(seen, ConnectionFailed.class).isEmpty(), Duration.ofSeconds(10));
      assertThat(MailTopic.of(connection, ConnectionFailed.class)).isNotEmpty();
    }
  }

  private AccountId define(int port) {
    AccountId id = AccountId.random();
    var sealed = SecretBox.of(keyId, Map.of(keyId, key)).seal("scripted-pw", id.toString());
    kafka.createTopic(accountsTopic, 3);
    kafka.send(accountsTopic, new AccountDefined(id, "owner", "scripted", "scripted@localhost",
        new ImapEndpoint("127.0.0.1", port, Security.NONE, "scripted"), sealed, Instant.now()));
    return id;
  }
}
