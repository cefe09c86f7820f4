package dev.mailroom.connector.ownership;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.connector.MailTopic;
import dev.mailroom.connector.TestAccounts;
import dev.mailroom.connector.TestDovecot;
import dev.mailroom.events.MailroomEvent;
import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.events.account.ImapEndpoint;
import dev.mailroom.events.connection.ConnectionEstablished;
import dev.mailroom.events.connection.ConnectionFailed;
import dev.mailroom.events.connection.FailureCategory;
import dev.mailroom.events.mail.MailboxStatus;
import dev.mailroom.events.mail.MessageAdded;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.EncryptedSecret;
import dev.mailroom.events.testing.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.mail.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Regression: five PATCHes of an account's display name cost six IMAP logins, as every new
 * definition restarted the session. On the real Kafka (the accounts topic, read by this
 * application's ownership consumer) and Dovecot: definitions that change only the display name and
 * e-mail address keep the session and its connections; a new password or host restarts it.
 */
@QuarkusTest
class RedefinitionTest {

  static final TestKafka kafka = TestKafka.shared();

  @ConfigProperty(name = "mailroom.topic.accounts")
  String accountsTopic;

  @ConfigProperty(name = "mailroom.topic.mail")
  String mailTopic;

  @ConfigProperty(name = "mailroom.topic.connection")
  String connectionTopic;

  @Test
  void aNewDisplayNameKeepsTheSessionWhileANewPasswordOrHostRestartsIt() throws Exception {
    String password = "pw-" + System.nanoTime();
    String user = TestDovecot.newUser("redefined", password);
    AccountId id = AccountId.random();
    AccountDefined first = TestAccounts.onDovecot(id, user, password);
    kafka.createTopic(accountsTopic, 3);
    kafka.send(accountsTopic, first);
    mail(
        id,
        seen ->
            seen.stream()
                .anyMatch(e -> e instanceof MailboxStatus s && s.path().value().equals("INBOX")));
    awaitPushReady(user);
    long logins = TestDovecot.logins(user);

    for (int i = 1; i <= 5; i++) {
      kafka.send(
          accountsTopic,
          redefined(
              first,
              i,
              "Name " + i,
              user + "+" + i + "@localhost",
              first.imap(),
              first.password()));
    }
    // The session kept still works: mail that arrives now is published.
    try (Store client = TestDovecot.login(user, password)) {
      TestDovecot.append(client, "INBOX", "after the renames", "<renamed@test>");
    }
    mail(
        id,
        seen ->
            MailTopic.of(seen, MessageAdded.class).stream()
                .anyMatch(m -> m.subject().equals("after the renames")));

    // A new password (wrong here) restarts the session: its login fails. The accounts topic keeps
    // one account's definitions in order, so the five renames were applied before it.
    kafka.send(
        accountsTopic,
        redefined(
            first,
            6,
            "Name 5",
            first.email(),
            first.imap(),
            TestAccounts.onDovecot(id, user, "wrong-" + password).password()));
    List<MailroomEvent> afterPassword =
        connections(id, seen -> !MailTopic.of(seen, ConnectionFailed.class).isEmpty());
    assertThat(afterPassword.getFirst()).isInstanceOf(ConnectionEstablished.class);
    assertThat(MailTopic.of(afterPassword, ConnectionEstablished.class))
        .as("one login for the first definition and the five renames")
        .hasSize(1);
    assertThat(MailTopic.of(afterPassword, ConnectionFailed.class).getFirst().category())
        .isEqualTo(FailureCategory.AUTHENTICATION_FAILED);
    // Dovecot logs successful logins only: none since the first session's two but the test's own.
    long loginsAfterRenames = TestDovecot.logins(user);
    assertThat(loginsAfterRenames)
        .as("Dovecot logins, the test's append included")
        .isEqualTo(logins + 1);

    // A new host, with the right password again, sealed for that endpoint as the gateway would
    // (a password is bound to its endpoint): a new session logs in there.
    ImapEndpoint byAddress =
        new ImapEndpoint("127.0.0.1", first.imap().port(), first.imap().security(), user);
    kafka.send(
        accountsTopic,
        redefined(
            first,
            7,
            "Name 5",
            first.email(),
            byAddress,
            TestAccounts.at(id, user, password, byAddress).password()));
    List<MailroomEvent> afterHost =
        connections(id, seen -> MailTopic.of(seen, ConnectionEstablished.class).size() >= 2);
    assertThat(MailTopic.of(afterHost, ConnectionEstablished.class)).hasSize(2);
    assertThat(TestDovecot.logins(user)).isGreaterThan(loginsAfterRenames);

    kafka.sendRaw(
        new ProducerRecord<>(accountsTopic, id.toString(), null)); // the account is deleted
  }

  /** The same account, defined {@code version} seconds later with these fields. */
  private static AccountDefined redefined(
      AccountDefined first,
      int version,
      String displayName,
      String email,
      ImapEndpoint imap,
      EncryptedSecret password) {
    Instant at = first.definedAt().plusSeconds(version);
    return new AccountDefined(
        first.accountId(),
        first.ownerId(),
        displayName,
        email,
        imap,
        password,
        at,
        first.createdAt());
  }

  /** The session's second login, its push connection, comes after the first sync. */
  private static void awaitPushReady(String user) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    // newUser logged in once to see that Dovecot knows the user; the session logs in twice.
    while (TestDovecot.logins(user) < 3 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    Thread.sleep(500);
  }

  private List<MailroomEvent> mail(AccountId id, Predicate<List<MailroomEvent>> until) {
    return MailTopic.read(kafka, mailTopic, id, until, Duration.ofSeconds(30));
  }

  private List<MailroomEvent> connections(AccountId id, Predicate<List<MailroomEvent>> until) {
    return MailTopic.read(kafka, connectionTopic, id, until, Duration.ofSeconds(30));
  }
}
