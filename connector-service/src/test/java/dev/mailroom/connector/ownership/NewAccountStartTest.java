package dev.mailroom.connector.ownership;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.connector.MailTopic;
import dev.mailroom.connector.SessionManagers;
import dev.mailroom.connector.TestAccounts;
import dev.mailroom.connector.TestDovecot;
import dev.mailroom.connector.session.SessionManager;
import dev.mailroom.events.mail.MailboxStatus;
import dev.mailroom.events.mail.MessageAdded;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.MailboxPath;
import dev.mailroom.events.model.ModSeq;
import dev.mailroom.events.model.Uid;
import dev.mailroom.events.model.UidValidity;
import dev.mailroom.events.testing.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.mail.Folder;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * An account created while this instance holds its partition starts its session without reading the
 * mail topic; one whose definition was there before the instance took the partition resumes from
 * what the topic says it published (real Kafka, real Dovecot).
 *
 * <p>To tell the two apart, the mail topic is given a {@code message.added} of each account's first
 * message before either session starts, as a session before a restart would have left it: a session
 * that reads the topic takes that message as announced and does not announce it again; one that
 * does not read it announces both messages.
 */
@QuarkusTest
class NewAccountStartTest {

  static final TestKafka kafka = TestKafka.shared();

  @Inject SessionManagers managers;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @ConfigProperty(name = "mailroom.topic.mail")
  String mailTopic;

  @Test
  void anAccountCreatedWhileHeldSkipsTheTopicAndOneDefinedBeforeResumesFromIt() throws Exception {
    String accountsTopic = "connector-test.new-accounts." + UUID.randomUUID();
    kafka.createTopic(accountsTopic, 1);
    kafka.createTopic(mailTopic, 3);
    String password = "New-pw-" + System.nanoTime();
    String earlierUser = TestDovecot.newUser("earlier", password);
    String newUser = TestDovecot.newUser("brandnew", password);
    AccountId earlier = AccountId.random();
    AccountId created = AccountId.random();
    announceFirstOfTwo(earlier, earlierUser, password);
    announceFirstOfTwo(created, newUser, password);

    // Before the instance starts.
    TestAccounts.define(
        kafka, accountsTopic, 0, TestAccounts.onDovecot(earlier, earlierUser, password));
    SessionManager sessions = managers.another();
    AccountOwnership ownership =
        new AccountOwnership(
            sessions,
            accountsTopic,
            AccountOwnership.consumerProperties(
                bootstrap, "connector-test-new-" + UUID.randomUUID(), Duration.ofSeconds(10)));
    try {
      ownership.start();
      awaitHeld(sessions, earlier);
      // While it holds the partition.
      TestAccounts.define(
          kafka, accountsTopic, 0, TestAccounts.onDovecot(created, newUser, password));
      awaitHeld(sessions, created);

      assertThat(announcedBySession(earlier))
          .as("resumed from the topic: the first message counts as announced")
          .containsExactly("second");
      assertThat(announcedBySession(created))
          .as("a new account: the topic is not read, both messages are announced")
          .containsExactly("second", "first");
    } finally {
      ownership.stop();
      sessions.held().forEach(sessions::release);
    }
  }

  /** Two messages in INBOX, and a message.added of the first on the mail topic. */
  private void announceFirstOfTwo(AccountId id, String user, String password) throws Exception {
    long uidValidity;
    long firstUid;
    try (Store client = TestDovecot.login(user, password)) {
      TestDovecot.append(client, "INBOX", "first", "<first-" + id + "@test>");
      TestDovecot.append(client, "INBOX", "second", "<second-" + id + "@test>");
      Folder inbox = client.getFolder("INBOX");
      inbox.open(Folder.READ_ONLY);
      uidValidity = ((UIDFolder) inbox).getUIDValidity();
      firstUid = ((UIDFolder) inbox).getUID(inbox.getMessage(1));
      inbox.close(false);
    }
    kafka.send(
        mailTopic,
        new MessageAdded(
            id,
            MailboxPath.INBOX,
            UidValidity.of(uidValidity),
            Uid.of(firstUid),
            ModSeq.of(1),
            "mid:<first-" + id + "@test>",
            "<first-" + id + "@test>",
            "announced before",
            List.of(),
            List.of(),
            List.of(),
            null,
            Instant.now(),
            100,
            List.of(),
            null,
            List.of(),
            "",
            "",
            null,
            List.of()));
  }

  /** The subjects the session announced, in order, until its INBOX status. */
  private List<String> announcedBySession(AccountId id) {
    var events =
        MailTopic.read(
            kafka,
            mailTopic,
            id,
            seen ->
                MailTopic.of(seen, MailboxStatus.class).stream()
                    .anyMatch(s -> s.path().equals(MailboxPath.INBOX)),
            Duration.ofSeconds(60));
    return MailTopic.of(events, MessageAdded.class).stream()
        .map(MessageAdded::subject)
        .filter(subject -> !subject.equals("announced before"))
        .toList();
  }

  private static void awaitHeld(SessionManager sessions, AccountId id) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!sessions.held().contains(id)) {
      assertThat(System.nanoTime()).as("%s held within 30 s", id).isLessThan(deadline);
      Thread.sleep(50);
    }
  }
}
