package dev.mailroom.connector.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.connector.MailTopic;
import dev.mailroom.connector.SessionManagers;
import dev.mailroom.connector.TestAccounts;
import dev.mailroom.connector.TestDovecot;
import dev.mailroom.connector.config.ConnectorConfig;
import dev.mailroom.connector.session.SessionManager;
import dev.mailroom.events.MailroomEvent;
import dev.mailroom.events.command.CommandAction;
import dev.mailroom.events.command.CommandRequested;
import dev.mailroom.events.command.CommandTarget;
import dev.mailroom.events.mail.CommandApplied;
import dev.mailroom.events.mail.CommandFailed;
import dev.mailroom.events.mail.MailboxStatus;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.MailboxPath;
import dev.mailroom.events.model.Uid;
import dev.mailroom.events.model.UidValidity;
import dev.mailroom.events.testing.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A connector killed in the middle of a bulk move of 1,000 messages: the instance that takes the
 * account over reads the command again from the last committed offset and moves only what is still
 * in the source. Checked by a second IMAP client: every message once in the destination, none left.
 */
@QuarkusTest
class BulkMoveKilledTest {

  static final TestKafka kafka = TestKafka.shared();
  static final int COUNT = 1000;

  @Inject SessionManagers managers;
  @Inject ConnectorConfig config;

  @ConfigProperty(name = "mailroom.topic.mail")
  String mailTopic;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @Test
  void nothingIsLostOrMovedTwiceWhenTheConnectorDiesMidBulk() throws Exception {
    String password = "pw-" + System.nanoTime();
    String user = TestDovecot.newUser("bulk", password);
    TestDovecot.bulkLoad(user, "INBOX", COUNT);
    AccountId id = AccountId.random();
    String topic = "connector-test.commands." + UUID.randomUUID();
    kafka.createTopic(topic, 1);
    String group = "connector-test-commands-" + UUID.randomUUID();
    // One UID MOVE a message: a thousand commands, so the kill lands between two of them even on
    // a quick machine (with chunks of ten, all hundred were done before the kill once).
    ConnectorConfig.Commands settings = chunked(config.commands(), 1);

    SessionManager first = managers.another();
    first.hold(TestAccounts.onDovecot(id, user, password), 0);
    assertThat(
            MailTopic.awaitFirst(
                kafka,
                mailTopic,
                id,
                MailboxStatus.class,
                s -> s.path().value().equals("INBOX") && s.messages() == COUNT,
                Duration.ofSeconds(60)))
        .isNotNull();
    CommandConsumer firstConsumer = consumer(first, topic, group, settings);
    firstConsumer.start();

    long uidValidity;
    List<CommandTarget> targets = new ArrayList<>();
    try (Store store = TestDovecot.login(user, password)) {
      IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
      inbox.open(Folder.READ_ONLY);
      uidValidity = inbox.getUIDValidity();
      for (Message m : inbox.getMessages()) {
        targets.add(
            new CommandTarget(
                MailboxPath.INBOX,
                UidValidity.of(uidValidity),
                Uid.of(inbox.getUID(m)),
                null,
                List.of()));
      }
      inbox.close(false);
    }
    CommandRequested bulk =
        new CommandRequested(
            id,
            UUID.randomUUID().toString(),
            CommandAction.MOVE,
            targets,
            null,
            MailboxPath.of("Archive"),
            null,
            null,
            "owner",
            Instant.now());
    kafka.send(topic, bulk);

    // Kill the first instance once part of the bulk is done: its consumer stops without committing,
    // its session drops the connection in the middle of the work.
    int movedAtKill;
    try (Store watcher = TestDovecot.login(user, password)) {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      int inArchive = 0;
      while (inArchive == 0 && System.nanoTime() < deadline) {
        inArchive = watcher.getFolder("Archive").getMessageCount(); // STATUS on a closed folder
      }
      firstConsumer.stop();
      first.release(id);
      movedAtKill = watcher.getFolder("Archive").getMessageCount();
    }
    assertThat(movedAtKill).as("killed in the middle").isBetween(1, COUNT - 1);

    // The account's new owner reads the command again and finishes it.
    SessionManager second = managers.another();
    second.hold(TestAccounts.onDovecot(id, user, password), 0);
    CommandConsumer secondConsumer = consumer(second, topic, group, settings);
    secondConsumer.start();
    try {
      List<MailroomEvent> events =
          MailTopic.read(
              kafka,
              mailTopic,
              id,
              e ->
                  e.stream()
                      .anyMatch(
                          x ->
                              x instanceof CommandApplied a
                                      && a.commandId().equals(bulk.commandId())
                                  || x instanceof CommandFailed f
                                      && f.commandId().equals(bulk.commandId())),
              Duration.ofSeconds(90));
      CommandApplied applied =
          MailTopic.of(events, CommandApplied.class).stream()
              .filter(a -> a.commandId().equals(bulk.commandId()))
              .findFirst()
              .orElseThrow();
      assertThat(applied.changed() + applied.unchanged()).isEqualTo(COUNT);
      assertThat(applied.unchanged())
          .as("moved before the kill, not again")
          .isGreaterThanOrEqualTo(movedAtKill);
      assertThat(applied.changed()).as("moved after the kill").isPositive();

      try (Store check = TestDovecot.login(user, password)) {
        assertThat(check.getFolder("INBOX").getMessageCount()).isZero();
        Folder archive = check.getFolder("Archive");
        archive.open(Folder.READ_ONLY);
        Set<String> ids = new HashSet<>();
        for (Message m : archive.getMessages()) {
          ids.add(m.getHeader("Message-ID")[0]);
        }
        assertThat(archive.getMessageCount()).as("each message once").isEqualTo(COUNT);
        assertThat(ids).hasSize(COUNT);
        archive.close(false);
      }
    } finally {
      secondConsumer.stop();
      second.release(id);
    }
  }

  private CommandConsumer consumer(
      SessionManager sessions, String topic, String group, ConnectorConfig.Commands settings) {
    CommandPartitions partitions = new CommandPartitions();
    partitions.assigned(Set.of(0));
    return new CommandConsumer(
        sessions,
        managers.publisher(),
        partitions,
        topic,
        CommandConsumer.consumerProperties(bootstrap, group),
        settings,
        Clock.systemUTC());
  }

  private static ConnectorConfig.Commands chunked(ConnectorConfig.Commands base, int chunk) {
    return new ConnectorConfig.Commands() {
      public String groupId() {
        return base.groupId();
      }

      public Duration maxAge() {
        return base.maxAge();
      }

      public Duration holdWait() {
        return base.holdWait();
      }

      public Duration timeout() {
        return base.timeout();
      }

      public int moveChunk() {
        return chunk;
      }
    };
  }
}
