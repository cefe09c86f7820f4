package dev.mailroom.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.events.MailroomEvent;
import dev.mailroom.events.mail.FlagsChanged;
import dev.mailroom.events.mail.MailboxChanged;
import dev.mailroom.events.mail.MailboxStatus;
import dev.mailroom.events.mail.MessageAdded;
import dev.mailroom.events.mail.SyncProgress;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.testing.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.mail.Flags;
import jakarta.mail.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The whole engine through the accounts topic, on real Dovecot and Kafka: first sync of several
 * folders with progress, pushed changes in a folder other than INBOX, mailboxes created, renamed
 * and deleted by another client, and a provoked UIDVALIDITY change (one reset, then the mailbox
 * again, and no loop).
 */
@QuarkusTest
class SyncEngineTest {

  static final TestKafka kafka = TestKafka.shared();

  @ConfigProperty(name = "mailroom.topic.accounts")
  String accountsTopic;

  @ConfigProperty(name = "mailroom.topic.mail")
  String mailTopic;

  @Test
  void changesInAnyFolderMailboxChangesAndResetBecomeEvents() throws Exception {
    String password = "pw-" + System.nanoTime();
    String user = TestDovecot.newUser("engine", password);
    try (Store client = TestDovecot.login(user, password)) {
      TestDovecot.append(client, "INBOX", "hello", "<hello@test>");
      TestDovecot.append(client, "Projects", "plan", "<plan@test>");
      TestDovecot.append(client, "Projects", "budget", "<budget@test>");
    }
    AccountId id = AccountId.random();
    kafka.createTopic(accountsTopic, 3);
    kafka.send(accountsTopic, TestAccounts.onDovecot(id, user, password));

    var synced = read(id, seen -> status(seen, "INBOX") && status(seen, "Projects"));
    assertThat(MailTopic.of(synced, MessageAdded.class))
        .extracting(m -> m.mailbox() + "/" + m.subject())
        .containsExactlyInAnyOrder("INBOX/hello", "Projects/plan", "Projects/budget");
    assertThat(MailTopic.of(synced, SyncProgress.class))
        .anySatisfy(
            p -> {
              assertThat(p.mailbox().value()).isEqualTo("Projects");
              assertThat(p.done()).isEqualTo(p.total()).isEqualTo(2);
            });
    Thread.sleep(500); // let the push connection settle after its NOTIFY SET

    // A flag set by another client in a folder other than INBOX is pushed (NOTIFY), not polled.
    Instant flagged = Instant.now();
    try (Store client = TestDovecot.login(user, password)) {
      TestDovecot.flag(client, "Projects", "plan", Flags.Flag.FLAGGED, true);
    }
    var afterFlag = read(id, seen -> !MailTopic.of(seen, FlagsChanged.class).isEmpty());
    Duration took = Duration.between(flagged, Instant.now());
    assertThat(MailTopic.of(afterFlag, FlagsChanged.class))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.mailbox().value()).isEqualTo("Projects");
              assertThat(f.flags()).containsExactly("\\Flagged");
              assertThat(f.modSeq()).isNotNull();
            });
    assertThat(took).as("pushed within a sweep interval").isLessThan(Duration.ofMillis(2500));

    // Mailboxes created, renamed and deleted by another client.
    try (Store client = TestDovecot.login(user, password)) {
      TestDovecot.rename(client, "Projects", "Plans");
      TestDovecot.create(client, "Fresh");
    }
    var afterRename =
        read(
            id,
            seen ->
                changes(seen, MailboxChanged.Change.RENAMED) == 1
                    && changes(seen, MailboxChanged.Change.CREATED) == 1);
    assertThat(MailTopic.of(afterRename, MailboxChanged.class))
        .filteredOn(c -> c.change() == MailboxChanged.Change.RENAMED)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.path().value()).isEqualTo("Plans");
              assertThat(c.previousPath().value()).isEqualTo("Projects");
            });
    try (Store client = TestDovecot.login(user, password)) {
      TestDovecot.delete(client, "Fresh");
    }
    var afterDelete = read(id, seen -> changes(seen, MailboxChanged.Change.DELETED) == 1);
    assertThat(MailTopic.of(afterDelete, MailboxChanged.class))
        .filteredOn(c -> c.change() == MailboxChanged.Change.DELETED)
        .singleElement()
        .satisfies(c -> assertThat(c.path().value()).isEqualTo("Fresh"));
    // The renamed mailbox kept its messages' locations: nothing was announced again under the new
    // name.
    assertThat(MailTopic.of(afterDelete, MessageAdded.class))
        .noneMatch(m -> m.mailbox().value().equals("Plans"));

    // A new UIDVALIDITY: one reset, the mailbox's messages again at the new UIDVALIDITY, no loop.
    long before =
        MailTopic.of(afterDelete, MailboxStatus.class).stream()
            .filter(s -> s.path().value().equals("Plans"))
            .reduce((a, b) -> b)
            .orElseThrow()
            .uidValidity()
            .value();
    TestDovecot.resetUidValidity(user, "Plans");
    var afterReset =
        read(
            id,
            seen ->
                MailTopic.of(seen, MessageAdded.class).stream()
                        .filter(m -> m.mailbox().value().equals("Plans"))
                        .count()
                    == 2);
    Thread.sleep(4000); // more than one sweep: a loop would show as a second reset
    var settled = read(id, seen -> false, Duration.ofSeconds(2));
    List<MailboxChanged> resets =
        MailTopic.of(settled, MailboxChanged.class).stream()
            .filter(c -> c.change() == MailboxChanged.Change.RESET)
            .toList();
    assertThat(resets)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.path().value()).isEqualTo("Plans");
              assertThat(r.previousUidValidity().value()).isEqualTo(before);
              assertThat(r.uidValidity().value()).isNotEqualTo(before);
            });
    assertThat(MailTopic.of(afterReset, MessageAdded.class))
        .filteredOn(m -> m.mailbox().value().equals("Plans"))
        .extracting(MessageAdded::subject)
        .containsExactlyInAnyOrder("plan", "budget");
    assertThat(MailTopic.of(settled, MessageAdded.class))
        .filteredOn(m -> m.mailbox().value().equals("Plans"))
        .hasSize(2);
  }

  /**
   * Changes in a folder other than INBOX are still pushed, each within 2 s (below the tests' 3 s
   * sweep interval), after Dovecot rotates its mailbox list index log. Dovecot's NOTIFY keeps
   * watching the old log file after that and would hear later changes only at its idle check (5 s
   * here, 30 s by default), unless the NOTIFY is set again (PushWatcher). The log rotates once it
   * is over a few KB and 5 minutes old; the test ages it, then changes flags until it rotates.
   */
  @Test
  void changesInAnotherFolderArePushedAfterDovecotRotatesItsListIndexLog() throws Exception {
    String password = "pw-" + System.nanoTime();
    String user = TestDovecot.newUser("pushed", password);
    try (Store client = TestDovecot.login(user, password)) {
      TestDovecot.append(client, "Projects", "plan", "<plan@test>");
    }
    AccountId id = AccountId.random();
    kafka.createTopic(accountsTopic, 3);
    kafka.send(accountsTopic, TestAccounts.onDovecot(id, user, password));
    read(id, seen -> status(seen, "INBOX") && status(seen, "Projects"));
    Thread.sleep(500); // let the push connection settle after its NOTIFY SET

    List<Duration> took = new java.util.ArrayList<>();
    long inode = TestDovecot.listIndexLogInode(user);
    TestDovecot.ageListIndexLog(
        user); // before the client logs in: Dovecot reads the header on open
    try (Store client = TestDovecot.login(user, password)) {
      jakarta.mail.Folder projects = client.getFolder("Projects");
      projects.open(jakarta.mail.Folder.READ_WRITE);
      jakarta.mail.Message plan = projects.getMessage(1);
      int toggles = 0;
      while (TestDovecot.listIndexLogInode(user) == inode && toggles < 400) {
        plan.setFlag(Flags.Flag.FLAGGED, toggles++ % 2 == 0);
      }
      assertThat(TestDovecot.listIndexLogInode(user))
          .as("list index log rotated after %d changes", toggles)
          .isNotEqualTo(inode);
      Thread.sleep(1000);
      for (int i = 1; i <= 10; i++) {
        String keyword = "$mark" + i;
        Instant changed = Instant.now();
        plan.setFlags(new Flags(keyword), true);
        read(
            id,
            seen ->
                MailTopic.of(seen, FlagsChanged.class).stream()
                    .anyMatch(f -> f.flags().contains(keyword)));
        took.add(Duration.between(changed, Instant.now()));
      }
      projects.close(false);
    }
    assertThat(took)
        .as("each change until its event")
        .allSatisfy(d -> assertThat(d).isLessThan(Duration.ofSeconds(2)));
  }

  private List<MailroomEvent> read(AccountId id, Predicate<List<MailroomEvent>> until) {
    return read(id, until, Duration.ofSeconds(30));
  }

  private List<MailroomEvent> read(
      AccountId id, Predicate<List<MailroomEvent>> until, Duration timeout) {
    return MailTopic.read(kafka, mailTopic, id, until, timeout);
  }

  private static boolean status(List<MailroomEvent> events, String mailbox) {
    return events.stream()
        .anyMatch(e -> e instanceof MailboxStatus s && s.path().value().equals(mailbox));
  }

  private static long changes(List<MailroomEvent> events, MailboxChanged.Change change) {
    return MailTopic.of(events, MailboxChanged.class).stream()
        .filter(c -> c.change() == change)
        .count();
  }
}
