package dev.mailroom.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.connector.session.SessionManager;
import dev.mailroom.events.MailroomEvent;
import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.events.mail.FlagsChanged;
import dev.mailroom.events.mail.MailboxStatus;
import dev.mailroom.events.mail.MessageAdded;
import dev.mailroom.events.mail.MessageExpunged;
import dev.mailroom.events.mail.MessageSkipped;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.MailboxPath;
import dev.mailroom.events.model.Uid;
import dev.mailroom.events.model.UidValidity;
import dev.mailroom.events.testing.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.mail.Flags;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The mail topic keeps events for a retention period (30 days), and it is the connector's only
 * checkpoint store (docs/adr/0002). These tests run the real retention mechanism, Kafka's deletion
 * of a partition's records below an offset, against real Dovecot: a quiet mailbox's status is
 * written again in time, and a session restored after its messages' "added" events were deleted
 * neither sends the mailbox again nor misses a change to those messages.
 */
@QuarkusTest
class CheckpointRetentionTest {

  static final TestKafka kafka = TestKafka.shared();

  @Inject SessionManager sessions;
  @Inject SessionManagers managers;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @ConfigProperty(name = "mailroom.topic.mail")
  String mailTopic;

  @Test
  void aQuietMailboxsStatusIsWrittenAgainOnceItsCheckpointIsDue() throws Exception {
    String password = "pw-" + System.nanoTime();
    String user = TestDovecot.newUser("refresh", password);
    try (Store client = TestDovecot.login(user, password)) {
      TestDovecot.append(
          client, "INBOX", "only message", "<refresh-" + System.nanoTime() + "@test>");
    }
    AccountId id = AccountId.random();
    // A second instance whose checkpoints are due after one second instead of days.
    SessionManager refreshing =
        managers.withImap(Map.of("checkpointRefresh", Duration.ofSeconds(1)));
    refreshing.hold(TestAccounts.onDovecot(id, user, password), 0);
    try {
      // Nothing changes on the server, yet the status comes again at the sweeps (3 s in tests).
      List<MailroomEvent> events =
          read(id, seen -> inboxStatuses(seen).size() >= 3, Duration.ofSeconds(30));
      List<MailboxStatus> statuses = inboxStatuses(events);
      assertThat(statuses).hasSizeGreaterThanOrEqualTo(3);
      assertThat(statuses)
          .extracting(MailboxStatus::uidNext)
          .containsOnly(statuses.getFirst().uidNext());
      assertThat(statuses.getLast().observedAt()).isAfter(statuses.getFirst().observedAt());
      assertThat(MailTopic.of(events, MessageAdded.class)).hasSize(1);
    } finally {
      refreshing.release(id);
    }
  }

  @Test
  void aRestoreAfterRetentionRemovedTheAddsSendsNothingAgainAndMissesNoChange() throws Exception {
    String password = "pw-" + System.nanoTime();
    String user = TestDovecot.newUser("retention", password);
    TestDovecot.bulkLoad(user, "INBOX", 40);
    try (Store client = TestDovecot.login(user, password)) {
      for (String subject :
          List.of("flagged while down", "expunged while down", "expunged after")) {
        TestDovecot.append(
            client,
            "INBOX",
            subject,
            "<" + subject.replace(' ', '-') + System.nanoTime() + "@test>");
      }
    }
    AccountId id = AccountId.random();
    AccountDefined account = TestAccounts.onDovecot(id, user, password);

    // First sync, then a restart that writes every status again (as the refresh would).
    sessions.hold(account, 0);
    List<MailroomEvent> first =
        read(id, seen -> inboxStatuses(seen).size() >= 1, Duration.ofSeconds(60));
    sessions.release(id);
    Map<String, Long> uids =
        MailTopic.of(first, MessageAdded.class).stream()
            .collect(Collectors.toMap(MessageAdded::subject, m -> m.uid().value()));
    assertThat(uids).hasSize(43);
    TopicPartition partition = partitionOf(id);
    long afterFirstSync = endOffset(partition);
    sessions.hold(account, 0);
    read(id, seen -> inboxStatuses(seen).size() >= 2, Duration.ofSeconds(60));
    sessions.release(id);

    // Retention: every record before the second status is deleted, the "added" events with them.
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin
          .deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(afterFirstSync)))
          .all()
          .get();
    }
    List<MailroomEvent> left =
        read(id, seen -> !inboxStatuses(seen).isEmpty(), Duration.ofSeconds(10));
    assertThat(MailTopic.of(left, MessageAdded.class))
        .as("the adds are gone from the topic")
        .isEmpty();
    assertThat(inboxStatuses(left)).hasSize(1);

    try (Store client = TestDovecot.login(user, password)) {
      TestDovecot.flag(client, "INBOX", "flagged while down", Flags.Flag.FLAGGED, true);
      TestDovecot.expunge(client, "INBOX", "expunged while down");
    }
    sessions.hold(account, 0);
    try {
      List<MailroomEvent> resumed =
          read(id, seen -> inboxStatuses(seen).size() >= 2, Duration.ofSeconds(60));
      assertThat(MailTopic.of(resumed, MessageAdded.class)).as("nothing sent again").isEmpty();
      assertThat(MailTopic.of(resumed, FlagsChanged.class))
          .filteredOn(f -> f.uid().value() == uids.get("flagged while down"))
          .singleElement()
          .satisfies(f -> assertThat(f.flags()).contains("\\Flagged"));
      assertThat(MailTopic.of(resumed, FlagsChanged.class))
          .as("only what changed since the checkpoint")
          .hasSize(1);
      assertThat(MailTopic.of(resumed, MessageExpunged.class))
          .extracting(x -> x.uid().value())
          .containsExactly(uids.get("expunged while down"));

      // A message whose "added" expired is still followed once the session runs.
      try (Store client = TestDovecot.login(user, password)) {
        TestDovecot.expunge(client, "INBOX", "expunged after");
      }
      List<MailroomEvent> later =
          read(
              id,
              seen -> MailTopic.of(seen, MessageExpunged.class).size() >= 2,
              Duration.ofSeconds(30));
      assertThat(MailTopic.of(later, MessageExpunged.class))
          .extracting(x -> x.uid().value())
          .containsExactly(uids.get("expunged while down"), uids.get("expunged after"));
    } finally {
      sessions.release(id);
    }
  }

  /**
   * What a first sync cut short by a frozen broker once left: the status of a mailbox on the topic
   * over adds the broker never took. The topic kept all it had, so the messages the status counts
   * and the topic never announced are not taken for expired adds: they are sent.
   */
  @Test
  void aRestoreFromAWholeTopicSendsWhatItsStatusCountedButNeverAnnounced() throws Exception {
    String password = "pw-" + System.nanoTime();
    String user = TestDovecot.newUser("unannounced", password);
    long uidValidity;
    try (Store client = TestDovecot.login(user, password)) {
      for (String subject : List.of("first", "second", "third")) {
        TestDovecot.append(client, "INBOX", subject, "<" + subject + System.nanoTime() + "@test>");
      }
      uidValidity = ((UIDFolder) client.getFolder("INBOX")).getUIDValidity();
    }
    AccountId id = AccountId.random();
    AccountDefined account = TestAccounts.onDovecot(id, user, password);
    MailboxPath inbox = MailboxPath.of("INBOX");
    UidValidity uv = UidValidity.of(uidValidity);
    // Of the three messages only the first's event (a skip here) reached the topic.
    kafka.send(
        mailTopic, new MessageSkipped(id, inbox, uv, Uid.of(1), "unreadable", Instant.now()));
    kafka.send(
        mailTopic, new MailboxStatus(id, inbox, ".", null, uv, 4, null, 3, 3, Instant.now()));

    // The read starts at the account's creation (no skew): past whatever retention removed from
    // the partition for the test before, so the topic counts as whole for this account.
    SessionManager exact = managers.withImap(Map.of("checkpointClockSkew", Duration.ZERO));
    exact.hold(account, 0);
    try {
      List<MailroomEvent> events =
          read(id, seen -> inboxStatuses(seen).size() >= 2, Duration.ofSeconds(60));
      assertThat(MailTopic.of(events, MessageAdded.class))
          .extracting(m -> m.uid().value())
          .containsExactlyInAnyOrder(2L, 3L);
      assertThat(inboxStatuses(events).getLast().messages()).isEqualTo(3);
    } finally {
      exact.release(id);
    }
  }

  private static List<MailboxStatus> inboxStatuses(List<MailroomEvent> events) {
    return MailTopic.of(events, MailboxStatus.class).stream()
        .filter(s -> s.path().value().equals("INBOX"))
        .toList();
  }

  private List<MailroomEvent> read(
      AccountId id, Predicate<List<MailroomEvent>> until, Duration timeout) {
    return MailTopic.read(kafka, mailTopic, id, until, timeout);
  }

  private TopicPartition partitionOf(AccountId id) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      int partitions =
          admin
              .describeTopics(List.of(mailTopic))
              .allTopicNames()
              .get()
              .get(mailTopic)
              .partitions()
              .size();
      byte[] key = id.toString().getBytes(StandardCharsets.UTF_8);
      return new TopicPartition(mailTopic, Utils.toPositive(Utils.murmur2(key)) % partitions);
    }
  }

  private long endOffset(TopicPartition partition) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      return admin
          .listOffsets(Map.of(partition, OffsetSpec.latest()))
          .all()
          .get()
          .get(partition)
          .offset();
    }
  }
}
