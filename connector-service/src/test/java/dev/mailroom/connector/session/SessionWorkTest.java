package dev.mailroom.connector.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.connector.MailTopic;
import dev.mailroom.connector.SessionManagers;
import dev.mailroom.connector.TestAccounts;
import dev.mailroom.connector.TestDovecot;
import dev.mailroom.events.mail.FlagsChanged;
import dev.mailroom.events.mail.MailboxStatus;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.MailboxPath;
import dev.mailroom.events.testing.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Store;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Work handed to a session runs on its connection between syncs, and what it changed is published
 * by the session's own sync right after, in order with everything else.
 */
@QuarkusTest
class SessionWorkTest {

  static final TestKafka kafka = TestKafka.shared();

  @Inject SessionManagers managers;

  @ConfigProperty(name = "mailroom.topic.mail")
  String mailTopic;

  @Test
  void workRunsOnTheSessionAndItsChangeIsPublishedByTheResyncItAsks() throws Exception {
    String password = "pw-" + System.nanoTime();
    // Without IDLE and NOTIFY, and with the sweep 10 minutes away, nothing but the resync the
    // work asks for can publish its change within the test.
    String user = TestDovecot.newUser("work", password, "userdb_imap_capability=IMAP4rev1");
    try (Store client = TestDovecot.login(user, password)) {
      TestDovecot.append(client, "INBOX", "flag me", null);
    }
    AccountId id = AccountId.random();
    SessionManager sessions =
        managers.withImap(
            Map.of(
                "pollInterval",
                Duration.ofMinutes(10),
                "notifySweepInterval",
                Duration.ofMinutes(10),
                "idleKeepAlive",
                Duration.ofMinutes(10)));
    sessions.hold(TestAccounts.onDovecot(id, user, password), 0);
    try {
      MailTopic.awaitFirst(
          kafka,
          mailTopic,
          id,
          MailboxStatus.class,
          s -> s.path().value().equals("INBOX"),
          Duration.ofSeconds(30));

      CompletableFuture<Long> flagged =
          sessions.submit(
              id,
              context -> {
                assertThat(context.hasCapability("imap4rev1")).isTrue();
                assertThat(context.hasCapability("FUZZY")).as("whole atoms only").isFalse();
                IMAPFolder inbox = context.folder(MailboxPath.INBOX).orElseThrow();
                inbox.open(Folder.READ_WRITE);
                try {
                  var message = inbox.getMessage(1);
                  message.setFlag(Flags.Flag.FLAGGED, true);
                  context.resync(MailboxPath.INBOX);
                  return inbox.getUID(message);
                } finally {
                  inbox.close(false);
                }
              });
      long uid = flagged.get(30, TimeUnit.SECONDS);

      FlagsChanged change =
          MailTopic.awaitFirst(
              kafka,
              mailTopic,
              id,
              FlagsChanged.class,
              f -> f.uid().value() == uid && f.flags().contains("\\Flagged"),
              Duration.ofSeconds(10));
      assertThat(change).as("the flag set by the work, published by the resync").isNotNull();

      // A refusal fails the work's future only: the session goes on and runs the next work.
      CompletableFuture<Object> refused =
          sessions.submit(
              id,
              context -> {
                throw new MessagingException("NO [NONEXISTENT] Mailbox doesn't exist");
              });
      assertThatThrownBy(() -> refused.get(30, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(MessagingException.class);
      assertThat(sessions.submit(id, context -> context.mailboxes()).get(30, TimeUnit.SECONDS))
          .contains(MailboxPath.INBOX);
    } finally {
      sessions.release(id);
    }
  }

  @Test
  void workForAnAccountNotHeldHereFailsAtOnce() {
    SessionManager sessions = managers.another();
    CompletableFuture<Object> future = sessions.submit(AccountId.random(), context -> "never");
    assertThatThrownBy(() -> future.get(1, TimeUnit.SECONDS))
        .hasCauseInstanceOf(NotHeldHereException.class);
  }
}
