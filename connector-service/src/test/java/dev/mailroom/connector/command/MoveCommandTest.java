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
import dev.mailroom.events.mail.MessageAdded;
import dev.mailroom.events.mail.MessageExpunged;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.MailboxPath;
import dev.mailroom.events.model.Uid;
import dev.mailroom.events.model.UidValidity;
import dev.mailroom.events.testing.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Moves applied by the connector on a real Dovecot and checked by a second IMAP client: with MOVE,
 * with COPY and UID EXPUNGE (which leaves another client's \Deleted message alone), read twice, and
 * refused on a server with neither MOVE nor UIDPLUS.
 */
@QuarkusTest
class MoveCommandTest {

  static final TestKafka kafka = TestKafka.shared();

  @Inject SessionManagers managers;
  @Inject ConnectorConfig config;

  @ConfigProperty(name = "mailroom.topic.mail")
  String mailTopic;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  private SessionManager sessions;
  private CommandConsumer consumer;
  private AccountId id;
  private String commandTopic;
  private String user;
  private final String password = "pw-" + System.nanoTime();

  @AfterEach
  void stop() {
    if (consumer != null) {
      consumer.stop();
    }
    if (sessions != null && id != null) {
      sessions.release(id);
    }
  }

  private void start(String extraFields, String... subjects) throws Exception {
    user = TestDovecot.newUser("move", password, extraFields);
    try (Store client = TestDovecot.login(user, password)) {
      for (String subject : subjects) {
        TestDovecot.append(client, "INBOX", subject, null);
      }
      TestDovecot.create(client, "Projekte.Überblick");
    }
    id = AccountId.random();
    sessions = managers.another();
    sessions.hold(TestAccounts.onDovecot(id, user, password), 0);
    // "." is the hierarchy delimiter of the stack's Maildir.
    assertThat(
            MailTopic.awaitFirst(
                kafka,
                mailTopic,
                id,
                MailboxStatus.class,
                s -> s.path().value().equals("Projekte.Überblick"),
                Duration.ofSeconds(30)))
        .isNotNull();
    commandTopic = "connector-test.commands." + UUID.randomUUID();
    kafka.createTopic(commandTopic, 1);
    CommandPartitions partitions = new CommandPartitions();
    partitions.assigned(Set.of(0));
    consumer =
        new CommandConsumer(
            sessions,
            managers.publisher(),
            partitions,
            commandTopic,
            CommandConsumer.consumerProperties(
                bootstrap, "connector-test-commands-" + UUID.randomUUID()),
            config.commands(),
            Clock.systemUTC());
    consumer.start();
  }

  @Test
  void movesWithMoveOrWithCopyAndUidExpungeOfThoseUidsOnly() throws Exception {
    start("", "one", "two", "three");
    long uidValidity = uidValidity("INBOX");

    // MOVE, to a mailbox whose name travels in modified UTF-7.
    CommandRequested first =
        move(List.of(target(uidValidity, uid("INBOX", "one"))), "Projekte.Überblick");
    kafka.send(commandTopic, first);
    assertThat(awaitOutcome(first, CommandApplied.class).changed()).isEqualTo(1);
    assertThat(subjects("INBOX")).containsExactlyInAnyOrder("two", "three");
    assertThat(subjects("Projekte.Überblick")).containsExactly("one");
    List<MailroomEvent> events =
        MailTopic.read(
            kafka,
            mailTopic,
            id,
            e -> e.stream().anyMatch(x -> x instanceof CommandApplied),
            Duration.ofSeconds(10));
    int outcomeAt = indexOf(events, x -> x instanceof CommandApplied);
    assertThat(
            indexOf(
                events,
                x ->
                    x instanceof MessageAdded a
                        && a.mailbox().value().equals("Projekte.Überblick")))
        .isBetween(0, outcomeAt - 1);
    assertThat(
            indexOf(
                events,
                x -> x instanceof MessageExpunged x2 && x2.mailbox().value().equals("INBOX")))
        .isBetween(0, outcomeAt - 1);

    // Read again (a crash before its offset was committed): nothing is moved twice.
    kafka.send(commandTopic, first);
    CommandApplied again = awaitOutcome(first, CommandApplied.class, 2);
    assertThat(again.changed()).isZero();
    assertThat(again.unchanged()).isEqualTo(1);
    assertThat(subjects("Projekte.Überblick")).containsExactly("one");

    // COPY + \Deleted + UID EXPUNGE: "three", which a phone marked \Deleted, stays where it is.
    try (Store phone = TestDovecot.login(user, password)) {
      TestDovecot.flag(phone, "INBOX", "three", Flags.Flag.DELETED, true);
    }
    CommandRequested second = move(List.of(target(uidValidity, uid("INBOX", "two"))), "Archive");
    Outcome outcome =
        sessions.submit(id, new MoveCommand(second, false, 250)).get(30, TimeUnit.SECONDS);
    assertThat(outcome.failure()).isNull();
    assertThat(outcome.changed()).isEqualTo(1);
    assertThat(subjects("Archive")).containsExactly("two");
    assertThat(subjects("INBOX"))
        .as("another client's \\Deleted message is not expunged")
        .containsExactly("three");

    // A destination that does not exist is named.
    CommandRequested nowhere = move(List.of(target(uidValidity, uid("INBOX", "three"))), "Nowhere");
    kafka.send(commandTopic, nowhere);
    assertThat(awaitOutcome(nowhere, CommandFailed.class).detail()).contains("Nowhere");
  }

  @Test
  void aServerWithNeitherMoveNorUidplusGetsAClearFailureAndKeepsItsMail() throws Exception {
    start("userdb_imap_capability=IMAP4rev1", "stay");
    CommandRequested command =
        move(List.of(target(uidValidity("INBOX"), uid("INBOX", "stay"))), "Archive");
    kafka.send(commandTopic, command);
    CommandFailed failed = awaitOutcome(command, CommandFailed.class);
    assertThat(failed.reason()).isEqualTo(CommandFailed.Reason.UNSUPPORTED);
    assertThat(failed.detail()).contains("neither MOVE").contains("UIDPLUS");
    assertThat(subjects("INBOX")).containsExactly("stay");
    assertThat(subjects("Archive")).isEmpty();
  }

  @Test
  void mailboxesAreCreatedRenamedAndDeletedAndAnnouncedBeforeTheOutcome() throws Exception {
    start("", "keep");
    CommandRequested create = mailbox(CommandAction.CREATE_MAILBOX, null, "Kunden.Müller & Söhne");
    kafka.send(commandTopic, create);
    assertThat(awaitOutcome(create, CommandApplied.class).changed()).isEqualTo(1);
    assertThat(exists("Kunden.Müller & Söhne")).isTrue();
    List<MailroomEvent> events =
        MailTopic.read(
            kafka,
            mailTopic,
            id,
            e -> e.stream().anyMatch(x -> x instanceof CommandApplied),
            Duration.ofSeconds(10));
    assertThat(
            indexOf(
                events,
                x ->
                    x instanceof dev.mailroom.events.mail.MailboxChanged c
                        && c.path().value().equals("Kunden.Müller & Söhne")))
        .isBetween(0, indexOf(events, x -> x instanceof CommandApplied) - 1);

    kafka.send(commandTopic, create); // read twice: nothing more to do
    assertThat(awaitOutcome(create, CommandApplied.class, 2).unchanged()).isEqualTo(1);

    CommandRequested rename =
        mailbox(CommandAction.RENAME_MAILBOX, "Kunden.Müller & Söhne", "Kunden.Alt");
    kafka.send(commandTopic, rename);
    awaitOutcome(rename, CommandApplied.class);
    assertThat(exists("Kunden.Müller & Söhne")).isFalse();
    assertThat(exists("Kunden.Alt")).isTrue();

    CommandRequested delete = mailbox(CommandAction.DELETE_MAILBOX, "Kunden.Alt", null);
    kafka.send(commandTopic, delete);
    awaitOutcome(delete, CommandApplied.class);
    assertThat(exists("Kunden.Alt")).isFalse();

    // The server's NO reaches the owner in its own words.
    CommandRequested inbox = mailbox(CommandAction.DELETE_MAILBOX, "INBOX", null);
    kafka.send(commandTopic, inbox);
    CommandFailed refused = awaitOutcome(inbox, CommandFailed.class);
    assertThat(refused.reason()).isEqualTo(CommandFailed.Reason.SERVER_REFUSED);
    assertThat(refused.detail()).containsIgnoringCase("INBOX");
    assertThat(subjects("INBOX")).containsExactly("keep");
  }

  private CommandRequested mailbox(CommandAction action, String mailbox, String destination) {
    return new CommandRequested(
        id,
        UUID.randomUUID().toString(),
        action,
        List.of(),
        null,
        destination == null ? null : MailboxPath.of(destination),
        mailbox == null ? null : MailboxPath.of(mailbox),
        null,
        "owner",
        Instant.now());
  }

  private boolean exists(String mailbox) throws Exception {
    try (Store store = TestDovecot.login(user, password)) {
      return store.getFolder(mailbox).exists();
    }
  }

  private CommandRequested move(List<CommandTarget> targets, String destination) {
    return new CommandRequested(
        id,
        UUID.randomUUID().toString(),
        CommandAction.MOVE,
        targets,
        null,
        MailboxPath.of(destination),
        null,
        null,
        "owner",
        Instant.now());
  }

  private static CommandTarget target(long uidValidity, long uid) {
    return new CommandTarget(
        MailboxPath.INBOX, UidValidity.of(uidValidity), Uid.of(uid), null, List.of());
  }

  private <T> T awaitOutcome(CommandRequested command, Class<T> type) {
    return awaitOutcome(command, type, 1);
  }

  /** The {@code nth} outcome of this type of the command (a command read twice has two). */
  private <T> T awaitOutcome(CommandRequested command, Class<T> type, int nth) {
    List<MailroomEvent> events =
        MailTopic.read(
            kafka,
            mailTopic,
            id,
            e -> outcomes(e, command, type).size() >= nth,
            Duration.ofSeconds(30));
    List<T> found = outcomes(events, command, type);
    assertThat(found)
        .as("outcome %s of %s", type.getSimpleName(), command.commandId())
        .hasSizeGreaterThanOrEqualTo(nth);
    return found.get(nth - 1);
  }

  private static <T> List<T> outcomes(
      List<MailroomEvent> events, CommandRequested command, Class<T> type) {
    return events.stream()
        .filter(type::isInstance)
        .map(type::cast)
        .filter(
            e ->
                command
                    .commandId()
                    .equals(
                        e instanceof CommandApplied a
                            ? a.commandId()
                            : ((CommandFailed) e).commandId()))
        .toList();
  }

  private static int indexOf(
      List<MailroomEvent> events, java.util.function.Predicate<MailroomEvent> p) {
    for (int i = 0; i < events.size(); i++) {
      if (p.test(events.get(i))) {
        return i;
      }
    }
    return -1;
  }

  private long uidValidity(String mailbox) throws Exception {
    try (Store store = TestDovecot.login(user, password)) {
      IMAPFolder folder = (IMAPFolder) store.getFolder(mailbox);
      folder.open(Folder.READ_ONLY);
      try {
        return folder.getUIDValidity();
      } finally {
        folder.close(false);
      }
    }
  }

  private long uid(String mailbox, String subject) throws Exception {
    try (Store store = TestDovecot.login(user, password)) {
      IMAPFolder folder = (IMAPFolder) store.getFolder(mailbox);
      folder.open(Folder.READ_ONLY);
      try {
        for (Message m : folder.getMessages()) {
          if (subject.equals(m.getSubject())) {
            return folder.getUID(m);
          }
        }
        throw new AssertionError("no " + subject + " in " + mailbox);
      } finally {
        folder.close(false);
      }
    }
  }

  /** The subjects a second IMAP client sees in the mailbox now. */
  private List<String> subjects(String mailbox) throws Exception {
    try (Store store = TestDovecot.login(user, password)) {
      Folder folder = store.getFolder(mailbox);
      folder.open(Folder.READ_ONLY);
      try {
        List<String> out = new ArrayList<>();
        for (Message m : folder.getMessages()) {
          out.add(m.getSubject());
        }
        return out;
      } finally {
        folder.close(false);
      }
    }
  }
}
