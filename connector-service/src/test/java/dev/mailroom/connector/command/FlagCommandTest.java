package dev.mailroom.connector.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.connector.MailTopic;
import dev.mailroom.connector.SessionManagers;
import dev.mailroom.connector.TestAccounts;
import dev.mailroom.connector.TestDovecot;
import dev.mailroom.connector.config.ConnectorConfig;
import dev.mailroom.connector.imap.MessageMapper;
import dev.mailroom.connector.session.SessionManager;
import dev.mailroom.events.EventCodec;
import dev.mailroom.events.MailroomEvent;
import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.events.account.ImapEndpoint;
import dev.mailroom.events.account.Security;
import dev.mailroom.events.command.CommandAction;
import dev.mailroom.events.command.CommandRequested;
import dev.mailroom.events.command.CommandTarget;
import dev.mailroom.events.command.FlagEdit;
import dev.mailroom.events.mail.CommandApplied;
import dev.mailroom.events.mail.CommandFailed;
import dev.mailroom.events.mail.FlagsChanged;
import dev.mailroom.events.mail.MailEvent;
import dev.mailroom.events.mail.MailboxStatus;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.MailboxPath;
import dev.mailroom.events.model.ModSeq;
import dev.mailroom.events.model.Uid;
import dev.mailroom.events.model.UidValidity;
import dev.mailroom.events.testing.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Store;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPMessage;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Flag commands from the commands topic, applied by the connector on a real Dovecot and checked by
 * a second IMAP client: the owner's change, the race with another client settled flag by flag, a
 * command read twice, a message that is gone, and a server without CONDSTORE.
 */
@QuarkusTest
class FlagCommandTest {

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

  @AfterEach
  void stop() {
    if (consumer != null) {
      consumer.stop();
    }
    if (sessions != null && id != null) {
      sessions.release(id);
    }
  }

  /**
   * A session for a new Dovecot user with these messages in INBOX, and a command consumer for it.
   */
  private String start(String password, String extraFields, String... subjects) throws Exception {
    String user = userWith(password, extraFields, subjects);
    hold(TestAccounts.onDovecot(AccountId.random(), user, password));
    return user;
  }

  private static String userWith(String password, String extraFields, String... subjects)
      throws Exception {
    String user = TestDovecot.newUser("cmd", password, extraFields);
    try (Store client = TestDovecot.login(user, password)) {
      for (String subject : subjects) {
        TestDovecot.append(client, "INBOX", subject, null);
      }
    }
    return user;
  }

  /** The connector holds the account; a command consumer reads a topic of this test's own. */
  private void hold(AccountDefined account) throws Exception {
    id = account.accountId();
    sessions = managers.another();
    sessions.hold(account, 0);
    MailTopic.awaitFirst(
        kafka,
        mailTopic,
        id,
        MailboxStatus.class,
        s -> s.path().value().equals("INBOX"),
        Duration.ofSeconds(30));
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
  void flagsAreSetOnTheServerAndARaceWithAnotherClientKeepsItsChange() throws Exception {
    String password = "pw-" + System.nanoTime();
    String user = start(password, "", "first", "second");
    Seen first = seen(user, password, "first");

    // The owner marks "first" read, flagged and labelled.
    CommandRequested mark =
        command(List.of(target(first)), List.of("\\Seen", "\\Flagged", "$Work"), List.of());
    kafka.send(commandTopic, mark);
    CommandApplied applied = awaitOutcome(mark, CommandApplied.class);
    assertThat(applied.changed()).isEqualTo(1);
    assertThat(seen(user, password, "first").flags())
        .containsExactlyInAnyOrder("\\Seen", "\\Flagged", "$Work");
    // The change's own flags event precedes the outcome on the mail topic: a reader of the
    // outcome already has the server's state.
    List<MailroomEvent> events =
        MailTopic.read(
            kafka,
            mailTopic,
            id,
            e -> e.stream().anyMatch(x -> x instanceof CommandApplied),
            Duration.ofSeconds(10));
    int outcomeAt =
        indexOf(
            events, x -> x instanceof CommandApplied a && a.commandId().equals(mark.commandId()));
    int flagsAt =
        indexOf(
            events,
            x ->
                x instanceof FlagsChanged f
                    && f.uid().value() == first.uid()
                    && f.flags().contains("$Work"));
    assertThat(flagsAt).isBetween(0, outcomeAt - 1);

    // The same command read again (a crash before its offset was committed) changes nothing.
    long modSeqBefore = seen(user, password, "first").modSeq();
    kafka.send(commandTopic, mark);
    assertThat(awaitOutcomes(mark, CommandApplied.class, 2).get(1).unchanged()).isEqualTo(1);
    assertThat(seen(user, password, "first").modSeq())
        .as("no STORE the second time")
        .isEqualTo(modSeqBefore);

    // The race: the owner sees "second" read; a phone then marks it unread and answered. The
    // owner's command (flag it, mark it read), written against the older view, flags it but
    // leaves the phone's "unread" and "answered" standing.
    try (Store phone = TestDovecot.login(user, password)) {
      TestDovecot.flag(phone, "INBOX", "second", Flags.Flag.SEEN, true);
    }
    Seen shown = seen(user, password, "second");
    try (Store phone = TestDovecot.login(user, password)) {
      TestDovecot.flag(phone, "INBOX", "second", Flags.Flag.SEEN, false);
      TestDovecot.flag(phone, "INBOX", "second", Flags.Flag.ANSWERED, true);
    }
    CommandRequested race =
        command(List.of(target(shown)), List.of("\\Flagged", "\\Seen"), List.of());
    kafka.send(commandTopic, race);
    CommandFailed conflict = awaitOutcome(race, CommandFailed.class);
    assertThat(conflict.reason()).isEqualTo(CommandFailed.Reason.CONFLICT);
    assertThat(conflict.detail()).contains("\\Seen");
    assertThat(conflict.changed()).isEqualTo(1);
    assertThat(seen(user, password, "second").flags())
        .containsExactlyInAnyOrder("\\Flagged", "\\Answered");

    // A message that is gone is named in the failure; nothing else happens.
    CommandRequested gone =
        command(
            List.of(
                new CommandTarget(
                    MailboxPath.INBOX,
                    UidValidity.of(first.uidValidity()),
                    Uid.of(9999),
                    null,
                    List.of())),
            List.of("\\Seen"),
            List.of());
    kafka.send(commandTopic, gone);
    CommandFailed notFound = awaitOutcome(gone, CommandFailed.class);
    assertThat(notFound.reason()).isEqualTo(CommandFailed.Reason.NOT_FOUND);
    assertThat(notFound.detail()).contains("9999");
  }

  @Test
  void withoutCondstoreOnlyTheNamedFlagsAreTouched() throws Exception {
    String password = "pw-" + System.nanoTime();
    String user = start(password, "userdb_imap_capability=IMAP4rev1", "plain");
    try (Store phone = TestDovecot.login(user, password)) {
      TestDovecot.flag(phone, "INBOX", "plain", Flags.Flag.FLAGGED, true);
    }
    Seen plain = seen(user, password, "plain");
    CommandRequested command =
        command(
            List.of(
                new CommandTarget(
                    MailboxPath.INBOX,
                    UidValidity.of(plain.uidValidity()),
                    Uid.of(plain.uid()),
                    null,
                    plain.flags())),
            List.of("\\Seen"),
            List.of("\\Flagged"));
    kafka.send(commandTopic, command);
    assertThat(awaitOutcome(command, CommandApplied.class).changed()).isEqualTo(1);
    assertThat(seen(user, password, "plain").flags()).containsExactly("\\Seen");
  }

  /**
   * RFC 7162 §3.1.3: a change that lands between the command's read and its {@code UNCHANGEDSINCE}
   * store is refused by the server ({@code [MODIFIED uid]}); the command reads and merges again, so
   * the phone's flag stays and the owner's is added, on the server and on the mail topic.
   */
  @Test
  void aChangeBetweenReadAndConditionalStoreIsReadAndMergedAgain() throws Exception {
    String password = "pw-" + System.nanoTime();
    String user = userWith(password, "", "raced");
    Seen shown = seen(user, password, "INBOX", "raced");
    RaceProxy.Change phoneFlagsIt =
        () -> {
          try (Store phone = TestDovecot.login(user, password)) {
            TestDovecot.flag(phone, "INBOX", "raced", Flags.Flag.FLAGGED, true);
          }
        };
    try (RaceProxy proxy =
        new RaceProxy("127.0.0.1", TestDovecot.IMAP_PORT, "UNCHANGEDSINCE", phoneFlagsIt)) {
      hold(
          TestAccounts.at(
              AccountId.random(),
              user,
              password,
              new ImapEndpoint("127.0.0.1", proxy.port(), Security.NONE, user)));
      CommandRequested mark = command(List.of(target(shown)), List.of("\\Seen"), List.of());
      kafka.send(commandTopic, mark);
      CommandApplied applied = awaitOutcome(mark, CommandApplied.class);
      assertThat(proxy.fired()).as("the phone's change came between read and store").isTrue();
      assertThat(applied.changed()).isEqualTo(1);
      assertThat(seen(user, password, "INBOX", "raced").flags())
          .containsExactlyInAnyOrder("\\Seen", "\\Flagged");
      // The store's side: the last flags event of the message, before the outcome, has both.
      List<MailroomEvent> events =
          MailTopic.read(
              kafka,
              mailTopic,
              id,
              e -> e.stream().anyMatch(x -> x instanceof CommandApplied),
              Duration.ofSeconds(10));
      List<FlagsChanged> flags =
          events.stream()
              .filter(FlagsChanged.class::isInstance)
              .map(FlagsChanged.class::cast)
              .filter(f -> f.uid().value() == shown.uid())
              .toList();
      assertThat(flags).isNotEmpty();
      assertThat(flags.getLast().flags()).containsExactlyInAnyOrder("\\Seen", "\\Flagged");
    }
  }

  /**
   * A mailbox the user may only read (a Dovecot ACL of {@code lr}: SELECT answers [READ-ONLY]) is
   * refused with a clear reason, and nothing on it changes.
   */
  @Test
  void aReadOnlyMailboxIsRefusedAndLeftAsItIs() throws Exception {
    String password = "pw-" + System.nanoTime();
    // The acl plugin for this user alone; vfile reads a dovecot-acl file in the mailbox folder.
    String user = userWith(password, "userdb_mail_plugins=acl userdb_acl=vfile");
    try (Store owner = TestDovecot.login(user, password)) {
      TestDovecot.create(owner, "Shared");
      TestDovecot.append(owner, "Shared", "kept", null);
    }
    // Written before any session opens the mailbox: vfile caches what it read for a while.
    Files.writeString(TestDovecot.maildirRoot(user).resolve(".Shared/dovecot-acl"), "owner lr\n");
    Seen before = seen(user, password, "Shared", "kept");
    hold(TestAccounts.onDovecot(AccountId.random(), user, password));
    CommandRequested mark =
        command(
            List.of(
                new CommandTarget(
                    MailboxPath.of("Shared"),
                    UidValidity.of(before.uidValidity()),
                    Uid.of(before.uid()),
                    ModSeq.of(before.modSeq()),
                    before.flags())),
            List.of("\\Seen"),
            List.of());
    kafka.send(commandTopic, mark);
    CommandFailed failed = awaitOutcome(mark, CommandFailed.class);
    assertThat(failed.reason()).isEqualTo(CommandFailed.Reason.READ_ONLY);
    assertThat(failed.detail()).contains("Shared").contains("read-only");
    Seen after = seen(user, password, "Shared", "kept");
    assertThat(after.flags()).isEmpty();
    assertThat(after.modSeq()).as("no STORE reached the server").isEqualTo(before.modSeq());
  }

  private CommandRequested command(
      List<CommandTarget> targets, List<String> add, List<String> remove) {
    return new CommandRequested(
        id,
        UUID.randomUUID().toString(),
        CommandAction.FLAGS,
        targets,
        new FlagEdit(add, remove),
        null,
        null,
        null,
        "owner",
        Instant.now());
  }

  private static CommandTarget target(Seen seen) {
    return new CommandTarget(
        MailboxPath.INBOX,
        UidValidity.of(seen.uidValidity()),
        Uid.of(seen.uid()),
        ModSeq.of(seen.modSeq()),
        seen.flags());
  }

  private <T extends MailEvent> T awaitOutcome(CommandRequested command, Class<T> type) {
    return awaitOutcomes(command, type, 1).getFirst();
  }

  private <T extends MailEvent> List<T> awaitOutcomes(
      CommandRequested command, Class<T> type, int count) {
    List<MailroomEvent> events =
        MailTopic.read(
            kafka,
            mailTopic,
            id,
            e -> outcomes(e, command, type).size() >= count,
            Duration.ofSeconds(30));
    List<T> found = outcomes(events, command, type);
    assertThat(found)
        .as("outcome %s of command %s", type.getSimpleName(), command.commandId())
        .hasSize(count);
    return found;
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

  record Seen(long uidValidity, long uid, List<String> flags, long modSeq) {}

  /** The message as a second IMAP client sees it now. */
  static Seen seen(String user, String password, String subject) throws Exception {
    return seen(user, password, "INBOX", subject);
  }

  static Seen seen(String user, String password, String mailbox, String subject) throws Exception {
    try (Store store = TestDovecot.login(user, password)) {
      IMAPFolder inbox = (IMAPFolder) store.getFolder(mailbox);
      inbox.open(Folder.READ_ONLY);
      try {
        for (Message m : inbox.getMessages()) {
          if (subject.equals(m.getSubject())) {
            long modSeq =
                store instanceof org.eclipse.angus.mail.imap.IMAPStore s
                        && s.hasCapability("CONDSTORE")
                    ? ((IMAPMessage) m).getModSeq()
                    : -1;
            return new Seen(
                inbox.getUIDValidity(), inbox.getUID(m), MessageMapper.flags(m.getFlags()), modSeq);
          }
        }
        throw new AssertionError("no message " + subject);
      } finally {
        inbox.close(false);
      }
    }
  }

  static {
    EventCodec.mapper(); // loaded before the first test's timing starts
  }
}
