package dev.mailroom.connector.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.connector.MailTopic;
import dev.mailroom.connector.SessionManagers;
import dev.mailroom.connector.TestAccounts;
import dev.mailroom.connector.TestDovecot;
import dev.mailroom.connector.checkpoint.MailboxState;
import dev.mailroom.connector.imap.ImapConnector;
import dev.mailroom.connector.publish.EventPublisher;
import dev.mailroom.events.MailroomEvent;
import dev.mailroom.events.account.ImapEndpoint;
import dev.mailroom.events.account.Security;
import dev.mailroom.events.mail.FlagsChanged;
import dev.mailroom.events.mail.MailboxStatus;
import dev.mailroom.events.mail.MessageAdded;
import dev.mailroom.events.mail.MessageExpunged;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.MailboxPath;
import dev.mailroom.events.testing.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.mail.Flags;
import jakarta.mail.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Regression: Dovecot 2.3's NOTIFY names mailboxes unencoded (UTF-8, a raw {@code &}; see {@code
 * push/StatusReply}), not in modified UTF-7 (RFC 3501 §5.1.3), so a change in {@code
 * Projekte/Überblick} named a mailbox the session did not know and waited for the STATUS sweep: 17
 * s to over 240 s, where INBOX and Archive took 0.1-1.2 s. Every change path must find changes in
 * folders named with non-ASCII letters (German, French, Japanese), spaces, {@code &}, a raw name
 * that looks like modified UTF-7, and the server's hierarchy delimiter.
 */
@QuarkusTest
class DovecotNotifyUnencodedNamesTest {

  static final TestKafka kafka = TestKafka.shared();

  /** Until a NOTIFY heard a change: the test's sweep interval is 3 s, so the bound proves push. */
  static final Duration PUSHED = Duration.ofMillis(2000);

  @Inject SessionManagers managers;
  @Inject EventPublisher publisher;
  @Inject ImapConnector connector;

  @ConfigProperty(name = "mailroom.topic.mail")
  String mailTopic;

  /**
   * The folders, with the server's hierarchy delimiter ("." on the stack's Maildir, "/" elsewhere).
   */
  static List<String> folders(char delimiter) {
    return List.of(
        "Projekte" + delimiter + "Überblick",
        "Kunden" + delimiter + "Müller & Söhne",
        "Résumé français",
        "日本語のフォルダ",
        "Tom & Jerry",
        "a&-b",
        "Archive");
  }

  @Test
  void flagChangesInFoldersWithNonAsciiNamesArePushedByNotify() throws Exception {
    String password = "pw-" + System.nanoTime();
    String user = TestDovecot.newUser("utf8-push", password);
    List<String> folders = prepare(user, password);
    AccountId id = AccountId.random();
    // Only the push can deliver within the test: after the first sweep the next is 10 min away.
    SessionManager sessions =
        managers.withImap(Map.of("notifySweepInterval", Duration.ofMinutes(10)));
    sessions.hold(TestAccounts.onDovecot(id, user, password), 0);
    try {
      List<MailroomEvent> synced = read(id, seen -> statusOfEach(seen, folders));
      assertThat(MailTopic.of(synced, MessageAdded.class))
          .extracting(m -> m.mailbox().value())
          .containsExactlyInAnyOrderElementsOf(folders);
      Thread.sleep(2000); // past the first sweep (poll-interval after the push is set up)

      Map<String, Duration> took = new LinkedHashMap<>();
      try (Store client = TestDovecot.login(user, password)) {
        for (String folder : folders) {
          Instant changed = Instant.now();
          TestDovecot.flag(client, folder, subject(folder), Flags.Flag.FLAGGED, true);
          FlagsChanged heard = flagged(read(id, seen -> flagged(seen, folder) != null), folder);
          assertThat(heard)
              .as("%s: the flag change on the mail topic within 30 s", folder)
              .isNotNull();
          took.put(folder, Duration.between(changed, heard.observedAt()));
        }
      }
      System.out.printf("NOTIFY, flag change until observed: %s%n", took);
      assertThat(took)
          .as("each folder's flag change, heard by NOTIFY")
          .allSatisfy((folder, d) -> assertThat(d).as(folder).isLessThan(PUSHED));
    } finally {
      sessions.release(id);
    }
  }

  /** First sync and the catch-up of each path (QRESYNC, CONDSTORE, full scan) with such names. */
  @ParameterizedTest
  @EnumSource(ServerChanges.Path.class)
  void everyCatchUpPathFindsChangesInFoldersWithNonAsciiNames(ServerChanges.Path path)
      throws Exception {
    String password = "pw-" + System.nanoTime();
    String user = TestDovecot.newUser("utf8-paths", password);
    List<String> folders = prepare(user, password);
    try (Store client = TestDovecot.login(user, password)) {
      for (String folder : folders) {
        TestDovecot.append(client, folder, "drop " + folder, null);
      }
    }
    AccountId id = AccountId.random();
    MailboxSync sync = new MailboxSync(id, publisher, Clock.systemUTC(), 100, 2_097_152, 4096);
    Map<MailboxPath, MailboxState> states = new HashMap<>();
    IMAPStore store =
        connector.connect(
            new ImapEndpoint(TestDovecot.HOST, TestDovecot.IMAPS_PORT, Security.TLS, user),
            password);
    try {
      syncAll(store, sync, states, path);
      assertThat(states)
          .containsKeys(folders.stream().map(MailboxPath::of).toArray(MailboxPath[]::new));
      try (Store client = TestDovecot.login(user, password)) {
        for (String folder : folders) {
          TestDovecot.flag(client, folder, subject(folder), Flags.Flag.FLAGGED, true);
          TestDovecot.expunge(client, folder, "drop " + folder);
        }
      }
      syncAll(store, sync, states, path);
    } finally {
      store.close();
    }
    List<MailroomEvent> events =
        read(
            id,
            seen ->
                folders.stream().allMatch(f -> flagged(seen, f) != null)
                    && MailTopic.of(seen, MessageExpunged.class).size() >= folders.size());
    assertThat(MailTopic.of(events, MessageAdded.class))
        .extracting(m -> m.mailbox().value())
        .containsExactlyInAnyOrderElementsOf(
            folders.stream().flatMap(f -> java.util.stream.Stream.of(f, f)).toList());
    assertThat(MailTopic.of(events, MessageExpunged.class))
        .extracting(x -> x.mailbox().value())
        .containsExactlyInAnyOrderElementsOf(folders);
  }

  /**
   * The STATUS sweep (STATUS with the name Angus encodes) and, without CONDSTORE, the flag probe
   * (EXAMINE of that name): Dovecot with {@code imap_capability=IMAP4rev1} for this user alone has
   * neither IDLE, NOTIFY nor CONDSTORE, so nothing but the sweep and the probe can deliver (the
   * full scan is 10 minutes away in tests).
   */
  @Test
  void withoutPushTheStatusSweepAndTheFlagProbeFindChangesInFoldersWithNonAsciiNames()
      throws Exception {
    String password = "pw-" + System.nanoTime();
    String user = TestDovecot.newUser("utf8-plain", password, "userdb_imap_capability=IMAP4rev1");
    List<String> folders = prepare(user, password);
    AccountId id = AccountId.random();
    SessionManager sessions = managers.another();
    sessions.hold(TestAccounts.onDovecot(id, user, password), 0);
    try {
      read(id, seen -> statusOfEach(seen, folders));
      try (Store client = TestDovecot.login(user, password)) {
        for (String folder : folders) {
          TestDovecot.flag(client, folder, subject(folder), Flags.Flag.FLAGGED, true);
          TestDovecot.append(client, folder, "new in " + folder, null);
        }
      }
      List<MailroomEvent> events =
          read(
              id,
              seen ->
                  folders.stream()
                      .allMatch(
                          f ->
                              flagged(seen, f) != null
                                  && MailTopic.of(seen, MessageAdded.class).stream()
                                      .anyMatch(m -> m.subject().equals("new in " + f))));
      for (String folder : folders) {
        assertThat(flagged(events, folder)).as("%s: flag change found", folder).isNotNull();
        assertThat(MailTopic.of(events, MessageAdded.class))
            .as("%s: new message found", folder)
            .anyMatch(
                m -> m.subject().equals("new in " + folder) && m.mailbox().value().equals(folder));
        assertThat(flagged(events, folder).modSeq()).as("no CONDSTORE, no MODSEQ").isNull();
      }
    } finally {
      sessions.release(id);
    }
  }

  /** Creates the folders, each with one message named after it; returns their names. */
  static List<String> prepare(String user, String password) throws Exception {
    try (Store client = TestDovecot.login(user, password)) {
      List<String> folders = folders(client.getDefaultFolder().getSeparator());
      for (String folder : folders) {
        TestDovecot.append(client, folder, subject(folder), null);
      }
      return folders;
    }
  }

  static String subject(String folder) {
    return "in " + folder;
  }

  static FlagsChanged flagged(List<MailroomEvent> seen, String folder) {
    return MailTopic.of(seen, FlagsChanged.class).stream()
        .filter(f -> isFlagged(f, folder))
        .findFirst()
        .orElse(null);
  }

  private static boolean isFlagged(FlagsChanged f, String folder) {
    return f.mailbox().value().equals(folder) && f.flags().contains("\\Flagged");
  }

  static boolean statusOfEach(List<MailroomEvent> seen, List<String> folders) {
    var paths =
        MailTopic.of(seen, MailboxStatus.class).stream().map(s -> s.path().value()).toList();
    return paths.containsAll(folders) && paths.contains("INBOX");
  }

  private List<MailroomEvent> read(AccountId id, Predicate<List<MailroomEvent>> until) {
    return MailTopic.read(kafka, mailTopic, id, until, Duration.ofSeconds(30));
  }

  private static void syncAll(
      IMAPStore store,
      MailboxSync sync,
      Map<MailboxPath, MailboxState> states,
      ServerChanges.Path path)
      throws Exception {
    for (var entry : MailboxList.list(store).entrySet()) {
      IMAPFolder folder = entry.getValue();
      states.put(entry.getKey(), sync.sync(folder, states.get(entry.getKey()), path));
    }
    sync.release();
  }
}
