package dev.mailroom.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.connector.session.SessionManager;
import dev.mailroom.events.MailroomEvent;
import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.events.mail.MailboxStatus;
import dev.mailroom.events.mail.MessageAdded;
import dev.mailroom.events.mail.SyncProgress;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.testing.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.mail.Store;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A session stopped in the middle of a first sync and started again with nothing in memory (what a
 * restart or a move to another instance does) resumes from the mail topic: every message ends on
 * Kafka exactly once, and a restart after a complete sync announces nothing again.
 */
@QuarkusTest
class RestartResumeTest {

  static final int MESSAGES = 4000;
  static final TestKafka kafka = TestKafka.shared();

  @Inject SessionManager sessions;

  @ConfigProperty(name = "mailroom.topic.mail")
  String mailTopic;

  @Test
  void restartMidSyncEndsWithEveryMessageExactlyOnce() throws Exception {
    String password = "pw-" + System.nanoTime();
    String user = TestDovecot.newUser("restart", password);
    try (Store client = TestDovecot.login(user, password)) {
      TestDovecot.append(client, "Later", "after inbox", "<after-inbox@test>");
    }
    TestDovecot.bulkLoad(user, "INBOX", MESSAGES);
    AccountId id = AccountId.random();
    AccountDefined account = TestAccounts.onDovecot(id, user, password);

    sessions.hold(account, 0);
    read(
        id, seen -> MailTopic.of(seen, SyncProgress.class).stream().anyMatch(p -> p.done() >= 300));
    sessions.release(id); // the "crash": in-memory state is gone with the session
    List<MailroomEvent> beforeRestart = read(id, seen -> false, Duration.ofSeconds(1));
    assertThat(MailTopic.of(beforeRestart, MailboxStatus.class))
        .as("stopped in the middle of the first sync of INBOX")
        .noneMatch(s -> s.path().value().equals("INBOX"));
    long announcedBefore = MailTopic.of(beforeRestart, MessageAdded.class).size();
    assertThat(announcedBefore).isBetween(300L, (long) MESSAGES - 1);

    sessions.hold(account, 0);
    List<MailroomEvent> done =
        read(
            id,
            seen ->
                MailTopic.of(seen, MailboxStatus.class).stream()
                    .anyMatch(s -> s.path().value().equals("Later")));
    List<MessageAdded> added = MailTopic.of(done, MessageAdded.class);
    assertThat(added).extracting(m -> m.mailbox() + "/" + m.uid()).doesNotHaveDuplicates();
    assertThat(added).hasSize(MESSAGES + 1);

    // A restart after a complete sync resumes from the checkpoint: nothing is announced again.
    sessions.release(id);
    sessions.hold(account, 0);
    List<MailroomEvent> again =
        read(
            id,
            seen ->
                MailTopic.of(seen, MailboxStatus.class).stream()
                        .filter(s -> s.path().value().equals("Later"))
                        .count()
                    >= 2);
    assertThat(MailTopic.of(again, MessageAdded.class)).hasSize(MESSAGES + 1);
    sessions.release(id);
  }

  private List<MailroomEvent> read(
      AccountId id, java.util.function.Predicate<List<MailroomEvent>> until) {
    return read(id, until, Duration.ofSeconds(60));
  }

  private List<MailroomEvent> read(
      AccountId id, java.util.function.Predicate<List<MailroomEvent>> until, Duration timeout) {
    return MailTopic.read(kafka, mailTopic, id, until, timeout);
  }
}
