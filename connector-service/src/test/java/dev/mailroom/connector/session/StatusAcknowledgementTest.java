package dev.mailroom.connector.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.connector.MailTopic;
import dev.mailroom.connector.TestDovecot;
import dev.mailroom.connector.checkpoint.MailboxState;
import dev.mailroom.connector.imap.ImapConnector;
import dev.mailroom.connector.publish.EventPublisher;
import dev.mailroom.events.MailroomEvent;
import dev.mailroom.events.account.ImapEndpoint;
import dev.mailroom.events.account.Security;
import dev.mailroom.events.mail.MailboxStatus;
import dev.mailroom.events.mail.MessageAdded;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.testing.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.mail.Folder;
import jakarta.mail.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A session's first pass hands each mailbox's status to the producer and goes on to the next
 * mailbox; the checkpoint a status records counts only once the broker has acknowledged it (real
 * Dovecot, real Kafka).
 */
@QuarkusTest
class StatusAcknowledgementTest {

  static final TestKafka kafka = TestKafka.shared();

  @Inject EventPublisher publisher;
  @Inject ImapConnector connector;

  @ConfigProperty(name = "mailroom.topic.mail")
  String mailTopic;

  @Test
  void deferredStatusesFollowTheirMailboxAndRecordTheCheckpointOnceAcknowledged() throws Exception {
    String password = "pw-" + System.nanoTime();
    String user = TestDovecot.newUser("deferred", password);
    try (Store client = TestDovecot.login(user, password)) {
      TestDovecot.append(client, "INBOX", "first", "<first@example.com>");
      TestDovecot.append(client, "INBOX", "second", "<second@example.com>");
      client.getFolder("Entw\u00fcrfe").create(Folder.HOLDS_MESSAGES);
    }
    kafka.createTopic(mailTopic, 3);
    AccountId id = AccountId.random();
    MailboxSync sync = new MailboxSync(id, publisher, Clock.systemUTC(), 100, 2_097_152, 16_384);
    IMAPStore store = connect(user, password);
    MailboxState inbox;
    MailboxState drafts;
    try {
      sync.deferStatuses();
      inbox = sync.sync(folder(store, "INBOX"), null, ServerChanges.Path.QRESYNC);
      drafts = sync.sync(folder(store, "Entw\u00fcrfe"), null, ServerChanges.Path.QRESYNC);
      // Sent, not yet waited for: neither mailbox counts as synced up to its status.
      assertThat(inbox.complete()).isFalse();
      assertThat(drafts.complete()).isFalse();
      assertThat(inbox.known().uids()).hasSize(2); // the messages were acknowledged before it
      sync.awaitStatuses();
    } finally {
      store.close();
    }
    assertThat(inbox.complete()).isTrue();
    assertThat(inbox.checkpoint().messages()).isEqualTo(2);
    assertThat(drafts.complete()).isTrue();
    assertThat(drafts.checkpoint().messages()).isZero();

    List<MailroomEvent> events =
        MailTopic.read(
            kafka,
            mailTopic,
            id,
            seen -> MailTopic.of(seen, MailboxStatus.class).size() == 2,
            Duration.ofSeconds(30));
    List<String> order =
        events.stream()
            .map(
                e ->
                    switch (e) {
                      case MessageAdded added -> "added " + added.subject();
                      case MailboxStatus status -> "status " + status.path().value();
                      default -> "other";
                    })
            .filter(s -> !s.equals("other"))
            .toList();
    assertThat(order)
        .containsExactly("added second", "added first", "status INBOX", "status Entw\u00fcrfe");
  }

  @Test
  void aStatusTheBrokerRefusesLeavesTheMailboxToSyncAgain() throws Exception {
    String password = "pw-" + System.nanoTime();
    String user = TestDovecot.newUser("refusedstatus", password);
    kafka.createTopic(mailTopic, 3);
    AccountId id = AccountId.random();
    MailboxSync sync = new MailboxSync(id, publisher, Clock.systemUTC(), 100, 2_097_152, 16_384);
    MailboxState inbox;
    IMAPStore store = connect(user, password);
    try {
      // An empty INBOX publishes its status alone; a topic that takes 64 bytes refuses it.
      kafka.setTopicConfig(mailTopic, "max.message.bytes", "64");
      try {
        sync.deferStatuses();
        inbox = sync.sync(folder(store, "INBOX"), null, ServerChanges.Path.QRESYNC);
        assertThatThrownBy(sync::awaitStatuses)
            .isInstanceOf(CompletionException.class)
            .hasRootCauseInstanceOf(RecordTooLargeException.class);
        assertThat(inbox.complete()).isFalse();
      } finally {
        kafka.setTopicConfig(mailTopic, "max.message.bytes", null);
      }
      // The next sync publishes the status again, and waits for it as syncs do by default.
      inbox = sync.sync(folder(store, "INBOX"), inbox, ServerChanges.Path.QRESYNC);
    } finally {
      store.close();
    }
    assertThat(inbox.complete()).isTrue();
    assertThat(
            MailTopic.read(
                kafka,
                mailTopic,
                id,
                seen -> !MailTopic.of(seen, MailboxStatus.class).isEmpty(),
                Duration.ofSeconds(30)))
        .filteredOn(MailboxStatus.class::isInstance)
        .hasSize(1);
  }

  private static IMAPFolder folder(IMAPStore store, String name) throws Exception {
    return (IMAPFolder) store.getFolder(name);
  }

  private IMAPStore connect(String user, String password) throws Exception {
    return connector.connect(
        new ImapEndpoint(TestDovecot.HOST, TestDovecot.IMAPS_PORT, Security.TLS, user), password);
  }
}
