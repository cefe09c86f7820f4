package dev.mailroom.connector.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.connector.MailTopic;
import dev.mailroom.connector.SessionManagers;
import dev.mailroom.connector.TestAccounts;
import dev.mailroom.connector.TestDovecot;
import dev.mailroom.connector.imap.HostPolicy;
import dev.mailroom.connector.imap.ImapConnector;
import dev.mailroom.connector.publish.FaultyPublisher;
import dev.mailroom.events.MailroomEvent;
import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.events.account.ImapEndpoint;
import dev.mailroom.events.connection.ConnectionEstablished;
import dev.mailroom.events.connection.ConnectionFailed;
import dev.mailroom.events.connection.FailureCategory;
import dev.mailroom.events.crypto.SecretBox;
import dev.mailroom.events.mail.MailboxStatus;
import dev.mailroom.events.mail.MessageAdded;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.testing.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.inject.Vetoed;
import jakarta.inject.Inject;
import jakarta.mail.Folder;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.URLName;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Regression: an OutOfMemoryError in a first sync ended a session's thread (it caught Exception
 * only). No connection.failed, no reconnect, and the account showed "connected" until the process
 * was restarted by hand. Here, on the real Dovecot and Kafka, Errors are thrown into a session
 * where it syncs, where it reports a failure and where its push watcher runs: each time a
 * connection.failed with its category, then a new connection.established, then a complete sync.
 */
@QuarkusTest
class SessionFailsLoudlyTest {

  static final TestKafka kafka = TestKafka.shared();

  @Inject SessionManagers managers;

  @ConfigProperty(name = "mailroom.topic.mail")
  String mailTopic;

  @ConfigProperty(name = "mailroom.topic.connection")
  String connectionTopic;

  @Test
  void anOutOfMemoryErrorMidFirstSyncIsAnInternalErrorThenTheSessionReconnectsAndFinishes()
      throws Exception {
    String password = "pw-" + System.nanoTime();
    String user = mailboxWithFiveMessages(password);
    // The third message of the first sync: two are on the topic, three are not.
    var publisher =
        new FaultyPublisher(
            managers.publisher(),
            MessageAdded.class::isInstance,
            3,
            () -> new OutOfMemoryError("Java heap space"));
    SessionManager sessions = managers.withPublisher(publisher);
    AccountId id = AccountId.random();
    sessions.hold(TestAccounts.onDovecot(id, user, password), 0);
    try {
      List<MailroomEvent> connections =
          connections(id, seen -> count(seen, ConnectionEstablished.class) >= 2);
      assertThat(publisher.thrown()).isTrue();
      assertThat(connections)
          .extracting(e -> e.getClass().getSimpleName())
          .containsExactly("ConnectionEstablished", "ConnectionFailed", "ConnectionEstablished");
      assertThat(connections.get(1))
          .isInstanceOfSatisfying(
              ConnectionFailed.class,
              failed -> {
                assertThat(failed.category()).isEqualTo(FailureCategory.INTERNAL_ERROR);
                assertThat(failed.detail()).isEqualTo("OutOfMemoryError: Java heap space");
              });
      assertSyncedCompletely(id);
      assertThat(sessions.held()).containsExactly(id);
    } finally {
      sessions.release(id);
    }
  }

  /**
   * An Error while the failure is reported (a RuntimeException from Kafka here) once ended the
   * thread as well: the failure goes unreported, but the session still reconnects and finishes.
   */
  @Test
  void aFailureThatCannotBeReportedStillLeadsToAReconnect() throws Exception {
    String password = "pw-" + System.nanoTime();
    String user = mailboxWithFiveMessages(password);
    var failing =
        new FaultyPublisher(
            managers.publisher(),
            MessageAdded.class::isInstance,
            2,
            () -> new StackOverflowError());
    var unreportable =
        new FaultyPublisher(
            failing,
            ConnectionFailed.class::isInstance,
            1,
            () -> new IllegalStateException("the producer is closed"));
    SessionManager sessions = managers.withPublisher(unreportable);
    AccountId id = AccountId.random();
    sessions.hold(TestAccounts.onDovecot(id, user, password), 0);
    try {
      List<MailroomEvent> connections =
          connections(id, seen -> count(seen, ConnectionEstablished.class) >= 2);
      assertThat(failing.thrown()).isTrue();
      assertThat(unreportable.thrown()).isTrue();
      assertThat(connections)
          .extracting(e -> e.getClass().getSimpleName())
          .containsExactly("ConnectionEstablished", "ConnectionEstablished");
      assertSyncedCompletely(id);
    } finally {
      sessions.release(id);
    }
  }

  @Test
  void anErrorThatEndsThePushWatchersThreadIsAFailureOfTheSession() throws Exception {
    String password = "pw-" + System.nanoTime();
    String user = mailboxWithFiveMessages(password);
    SessionManager sessions = managers.withConnector(new PushBreakingConnector(managers.imap()));
    AccountId id = AccountId.random();
    sessions.hold(TestAccounts.onDovecot(id, user, password), 0);
    try {
      List<MailroomEvent> connections =
          connections(id, seen -> count(seen, ConnectionEstablished.class) >= 2);
      assertThat(connections)
          .extracting(e -> e.getClass().getSimpleName())
          .containsExactly("ConnectionEstablished", "ConnectionFailed", "ConnectionEstablished");
      assertThat(connections.get(1))
          .isInstanceOfSatisfying(
              ConnectionFailed.class,
              failed -> {
                assertThat(failed.category()).isEqualTo(FailureCategory.INTERNAL_ERROR);
                assertThat(failed.detail()).startsWith("AssertionError: ");
              });
      assertSyncedCompletely(id);
    } finally {
      sessions.release(id);
    }
  }

  /**
   * A password sealed with a key this instance does not have: reported, and tried again after a
   * back-off (its thread used to return), so the failure is repeated should the first report be
   * lost.
   */
  @Test
  void aPasswordNoKeyOpensIsReportedAgainAfterEachBackOff() {
    AccountId id = AccountId.random();
    AccountDefined sealedElsewhere = TestAccounts.onDovecot(id, "nobody-" + id, "pw");
    var otherKey =
        SecretBox.of(
            "other-key", Map.of("other-key", "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB="));
    AccountDefined account =
        new AccountDefined(
            id,
            sealedElsewhere.ownerId(),
            sealedElsewhere.displayName(),
            sealedElsewhere.email(),
            sealedElsewhere.imap(),
            otherKey.seal("pw", id.toString()),
            sealedElsewhere.definedAt(),
            sealedElsewhere.createdAt());
    SessionManager sessions = managers.another();
    sessions.hold(account, 0);
    try {
      List<MailroomEvent> connections =
          connections(id, seen -> count(seen, ConnectionFailed.class) >= 2);
      assertThat(connections)
          .allSatisfy(
              e ->
                  assertThat(e)
                      .isInstanceOfSatisfying(
                          ConnectionFailed.class,
                          failed ->
                              assertThat(failed.category())
                                  .isEqualTo(FailureCategory.CREDENTIALS_UNAVAILABLE)));
      assertThat(connections).hasSizeGreaterThanOrEqualTo(2);
    } finally {
      sessions.release(id);
    }
  }

  private static String mailboxWithFiveMessages(String password) throws Exception {
    String user = TestDovecot.newUser("loud", password);
    try (Store client = TestDovecot.login(user, password)) {
      for (int i = 1; i <= 3; i++) {
        TestDovecot.append(client, "INBOX", "inbox " + i, "<inbox-" + i + "@test>");
      }
      for (int i = 1; i <= 2; i++) {
        TestDovecot.append(client, "Projects", "project " + i, "<project-" + i + "@test>");
      }
    }
    return user;
  }

  private void assertSyncedCompletely(AccountId id) {
    List<MailroomEvent> mail =
        MailTopic.read(
            kafka,
            mailTopic,
            id,
            seen -> status(seen, "INBOX") && status(seen, "Projects"),
            Duration.ofSeconds(30));
    assertThat(MailTopic.of(mail, MessageAdded.class))
        .extracting(m -> m.mailbox().value() + "/" + m.subject())
        .containsOnly(
            "INBOX/inbox 1",
            "INBOX/inbox 2",
            "INBOX/inbox 3",
            "Projects/project 1",
            "Projects/project 2")
        .hasSizeGreaterThanOrEqualTo(5);
  }

  private List<MailroomEvent> connections(AccountId id, Predicate<List<MailroomEvent>> until) {
    return MailTopic.read(kafka, connectionTopic, id, until, Duration.ofSeconds(30));
  }

  private static boolean status(List<MailroomEvent> events, String mailbox) {
    return events.stream()
        .anyMatch(e -> e instanceof MailboxStatus s && s.path().value().equals(mailbox));
  }

  private static long count(List<MailroomEvent> events, Class<? extends MailroomEvent> type) {
    return MailTopic.of(events, type).size();
  }

  /**
   * The application's connector, except that the first push connection (the second connection of a
   * session) is a store whose every folder throws an AssertionError: the watcher's thread meets it
   * in its first command and dies of it.
   */
  @Vetoed
  static final class PushBreakingConnector extends ImapConnector {
    private final ImapConnector delegate;
    private final AtomicInteger connects = new AtomicInteger();

    PushBreakingConnector(ImapConnector delegate) {
      super(null, null, null, null);
      this.delegate = delegate;
    }

    @Override
    public IMAPStore connect(ImapEndpoint endpoint, String password)
        throws jakarta.mail.MessagingException,
            HostPolicy.HostNotAllowedException,
            java.net.UnknownHostException {
      if (connects.incrementAndGet() != 2) {
        return delegate.connect(endpoint, password);
      }
      return new IMAPStore(Session.getInstance(new Properties()), new URLName("imap://localhost")) {
        @Override
        public Folder getFolder(String name) {
          throw new AssertionError("injected into the push watcher");
        }
      };
    }
  }
}
