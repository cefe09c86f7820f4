package dev.mailroom.connector.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.connector.MailTopic;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each incremental path (QRESYNC, CONDSTORE plus a UID list, full scan) finds the same changes
 * another client made on real Dovecot, in INBOX and in another folder, and the events reach the
 * real Kafka: a flag change (with MODSEQ where the path has it), an expunge, and a move that keeps
 * the message's identity.
 */
@QuarkusTest
class ChangePathsTest {

  static final TestKafka kafka = TestKafka.shared();

  @Inject EventPublisher publisher;
  @Inject ImapConnector connector;

  @ConfigProperty(name = "mailroom.topic.mail")
  String mailTopic;

  @ParameterizedTest
  @EnumSource(ServerChanges.Path.class)
  void flagChangesExpungesAndMovesAreFound(ServerChanges.Path path) throws Exception {
    String password = "pw-" + System.nanoTime();
    String user = TestDovecot.newUser("paths", password);
    try (Store client = TestDovecot.login(user, password)) {
      TestDovecot.append(client, "INBOX", "keep", "<keep@test>");
      TestDovecot.append(client, "INBOX", "read-me", "<read-me@test>");
      TestDovecot.append(client, "INBOX", "drop-me", "<drop-me@test>");
      TestDovecot.append(client, "INBOX", "move-me", "<move-me@test>");
      TestDovecot.append(client, "Work", "star-me", "<star-me@test>");
      TestDovecot.append(client, "Work", "gone-too", "<gone-too@test>");
      TestDovecot.appendWithAttachment(client, "Work", "with-report", 3000);
    }
    AccountId id = AccountId.random();
    // A batch of two exercises the batching of the first sync as well.
    MailboxSync sync = new MailboxSync(id, publisher, Clock.systemUTC(), 2, 2_097_152, 4096);
    Map<MailboxPath, MailboxState> states = new HashMap<>();
    IMAPStore store = connect(user, password);
    try {
      syncAll(store, sync, states, path);
      try (Store client = TestDovecot.login(user, password)) {
        TestDovecot.flag(client, "INBOX", "read-me", Flags.Flag.SEEN, true);
        TestDovecot.flag(client, "Work", "star-me", Flags.Flag.FLAGGED, true);
        TestDovecot.expunge(client, "INBOX", "drop-me");
        TestDovecot.expunge(client, "Work", "gone-too");
        TestDovecot.move(client, "INBOX", "move-me", "Work");
      }
      syncAll(store, sync, states, path);
      syncAll(store, sync, states, path); // nothing changed since: nothing more may be published
    } finally {
      store.close();
    }

    List<MailroomEvent> events =
        MailTopic.read(
            kafka,
            mailTopic,
            id,
            seen ->
                MailTopic.of(seen, FlagsChanged.class).size() >= 2
                    && MailTopic.of(seen, MessageExpunged.class).size() >= 3
                    && MailTopic.of(seen, MessageAdded.class).size() >= 8
                    && MailTopic.of(seen, MailboxStatus.class).size() >= 6,
            Duration.ofSeconds(20));
    List<MessageAdded> added = MailTopic.of(events, MessageAdded.class);
    Map<String, MessageAdded> firstBySubject =
        added.stream()
            .collect(Collectors.toMap(MessageAdded::subject, Function.identity(), (a, b) -> a));

    assertThat(MailTopic.of(events, FlagsChanged.class))
        .extracting(f -> f.mailbox() + "/" + f.uid() + " " + f.flags())
        .containsExactlyInAnyOrder(
            "INBOX/" + firstBySubject.get("read-me").uid() + " [\\Seen]",
            "Work/" + firstBySubject.get("star-me").uid() + " [\\Flagged]");
    assertThat(MailTopic.of(events, FlagsChanged.class))
        .allSatisfy(
            f -> {
              if (path == ServerChanges.Path.FULL_SCAN) {
                assertThat(f.modSeq()).isNull();
              } else {
                assertThat(f.modSeq()).isNotNull();
                assertThat(f.modSeq().value()).isGreaterThan(0);
              }
            });
    assertThat(MailTopic.of(events, MessageExpunged.class))
        .extracting(x -> x.mailbox() + "/" + x.uid())
        .containsExactlyInAnyOrder(
            "INBOX/" + firstBySubject.get("drop-me").uid(),
            "INBOX/" + firstBySubject.get("move-me").uid(),
            "Work/" + firstBySubject.get("gone-too").uid());
    // The move: a new location in Work with the identity of the one that left INBOX.
    List<MessageAdded> moved = added.stream().filter(m -> m.subject().equals("move-me")).toList();
    assertThat(moved).extracting(m -> m.mailbox().value()).containsExactly("INBOX", "Work");
    assertThat(moved.get(1).identity()).isEqualTo(moved.get(0).identity());
    // The counters of the last sync: INBOX keeps "keep" unread and "read-me" read; Work has
    // "star-me", "with-report" and the moved "move-me", all unread.
    Map<String, MailboxStatus> lastStatus =
        MailTopic.of(events, MailboxStatus.class).stream()
            .collect(Collectors.toMap(st -> st.path().value(), Function.identity(), (a, b) -> b));
    assertThat(lastStatus.get("INBOX").messages()).isEqualTo(2);
    assertThat(lastStatus.get("INBOX").unseen()).isEqualTo(1);
    assertThat(lastStatus.get("Work").messages()).isEqualTo(3);
    assertThat(lastStatus.get("Work").unseen()).isEqualTo(3);
    // Every location announced exactly once across the three syncs.
    assertThat(added)
        .extracting(m -> m.mailbox() + "/" + m.uid())
        .doesNotHaveDuplicates()
        .hasSize(8);
    // The first sync carries the text for search and the attachments' metadata, not their content.
    assertThat(firstBySubject.get("keep").textBody()).isEqualTo("Hello from the test.\n");
    assertThat(firstBySubject.get("keep").snippet()).isEqualTo("Hello from the test.");
    MessageAdded report = firstBySubject.get("with-report");
    assertThat(report.snippet()).isEqualTo("Please find the report attached.");
    assertThat(report.attachments())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.part()).isEqualTo("2");
              assertThat(a.filename()).isEqualTo("report.pdf");
              assertThat(a.contentType()).isEqualTo("application/pdf");
              assertThat(a.size()).isGreaterThan(3000); // base64 on the wire
            });
  }

  /**
   * A Message-ID should name one message, but senders reuse them: two different messages under one
   * id stay two identities, while a copy of one of them keeps its identity.
   */
  @org.junit.jupiter.api.Test
  void twoMessagesThatReuseAMessageIdStayTwoAndACopyKeepsItsIdentity() throws Exception {
    String password = "pw-" + System.nanoTime();
    String user = TestDovecot.newUser("reused-id", password);
    try (Store client = TestDovecot.login(user, password)) {
      TestDovecot.append(client, "INBOX", "first use", "<reused@test>");
      TestDovecot.append(client, "INBOX", "second use", "<reused@test>");
      TestDovecot.create(client, "Work");
      jakarta.mail.Folder inbox = client.getFolder("INBOX");
      inbox.open(jakarta.mail.Folder.READ_ONLY);
      inbox.copyMessages(
          java.util.Arrays.stream(inbox.getMessages())
              .filter(
                  m -> {
                    try {
                      return m.getSubject().equals("first use");
                    } catch (jakarta.mail.MessagingException e) {
                      throw new IllegalStateException(e);
                    }
                  })
              .toArray(jakarta.mail.Message[]::new),
          client.getFolder("Work"));
      inbox.close(false);
    }
    AccountId id = AccountId.random();
    MailboxSync sync = new MailboxSync(id, publisher, Clock.systemUTC(), 100, 2_097_152, 4096);
    IMAPStore store = connect(user, password);
    try {
      syncAll(store, sync, new HashMap<>(), ServerChanges.Path.QRESYNC);
    } finally {
      store.close();
    }
    List<MessageAdded> added =
        MailTopic.of(
            MailTopic.read(
                kafka,
                mailTopic,
                id,
                seen -> MailTopic.of(seen, MessageAdded.class).size() >= 3,
                Duration.ofSeconds(20)),
            MessageAdded.class);
    Map<String, String> identities =
        added.stream()
            .collect(
                Collectors.toMap(
                    m -> m.mailbox().value() + " " + m.subject(), MessageAdded::identity));
    assertThat(identities).hasSize(3);
    assertThat(identities.get("INBOX first use")).isNotEqualTo(identities.get("INBOX second use"));
    assertThat(identities.get("Work first use")).isEqualTo(identities.get("INBOX first use"));
  }

  /**
   * A session syncs mailbox after mailbox on the one connection it logged in with. An open folder
   * holds the store's pooled connection, so anything asked of the store meanwhile (as Angus's
   * {@code IMAPStore.hasCapability} does) logs in a new connection on every sync.
   */
  @org.junit.jupiter.api.Test
  void repeatedSyncsKeepToTheStoresOneConnection() throws Exception {
    String password = "pw-" + System.nanoTime();
    String user = TestDovecot.newUser("one-login", password);
    try (Store client = TestDovecot.login(user, password)) {
      TestDovecot.append(client, "INBOX", "unread", "<unread@test>");
      TestDovecot.append(client, "Work", "also unread", "<also-unread@test>");
    }
    MailboxSync sync =
        new MailboxSync(AccountId.random(), publisher, Clock.systemUTC(), 100, 2_097_152, 4096);
    Map<MailboxPath, MailboxState> states = new HashMap<>();
    long before = TestDovecot.logins(user);
    IMAPStore store = connect(user, password);
    try {
      for (int round = 0; round < 3; round++) {
        syncAll(store, sync, states, ServerChanges.Path.QRESYNC);
      }
    } finally {
      store.close();
    }
    // Dovecot logs a login as it happens; a moment more lets a late line show.
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> TestDovecot.logins(user) > before);
    Thread.sleep(500);
    assertThat(TestDovecot.logins(user) - before).as("logins for 6 mailbox syncs").isEqualTo(1);
  }

  /**
   * With QRESYNC a mailbox stays selected after its sync, and the next sync of it asks for what
   * changed without a new EXAMINE. It finds a flag change, an expunge, a new message and a move
   * out, and its checkpoint equals what STATUS says afterwards, although Angus's own UIDNEXT and
   * HIGHESTMODSEQ are those of the first EXAMINE.
   */
  @org.junit.jupiter.api.Test
  void aMailboxLeftSelectedFindsEveryChangeAndKeepsAnExactCheckpoint() throws Exception {
    String password = "pw-" + System.nanoTime();
    String user = TestDovecot.newUser("selected", password);
    try (Store client = TestDovecot.login(user, password)) {
      TestDovecot.append(client, "INBOX", "move-me", "<move-me@test>");
      TestDovecot.append(client, "INBOX", "read-me", "<read-me@test>");
      TestDovecot.append(client, "INBOX", "drop-me", "<drop-me@test>");
      TestDovecot.create(client, "Work");
    }
    AccountId id = AccountId.random();
    MailboxSync sync = new MailboxSync(id, publisher, Clock.systemUTC(), 100, 2_097_152, 4096);
    IMAPStore store = connect(user, password);
    try {
      IMAPFolder first = (IMAPFolder) store.getFolder("INBOX");
      MailboxState state = sync.sync(first, null, ServerChanges.Path.QRESYNC);
      assertThat(sync.selected()).isSameAs(first);
      try (Store client = TestDovecot.login(user, password)) {
        TestDovecot.flag(client, "INBOX", "read-me", Flags.Flag.SEEN, true);
        TestDovecot.expunge(client, "INBOX", "drop-me");
        TestDovecot.append(client, "INBOX", "new-one", "<new-one@test>");
        TestDovecot.move(client, "INBOX", "move-me", "Work");
      }
      // A new folder object for the same mailbox, as after a LIST: the selected one is resumed.
      state = sync.sync((IMAPFolder) store.getFolder("INBOX"), state, ServerChanges.Path.QRESYNC);
      assertThat(sync.selected()).isSameAs(first);
      state = sync.sync((IMAPFolder) store.getFolder("INBOX"), state, ServerChanges.Path.QRESYNC);
    } finally {
      store.close();
    }
    org.eclipse.angus.mail.imap.protocol.Status now;
    try (Store client = TestDovecot.login(user, password)) {
      IMAPFolder f = (IMAPFolder) client.getFolder("INBOX");
      now =
          (org.eclipse.angus.mail.imap.protocol.Status)
              f.doCommand(
                  p ->
                      p.status(
                          "INBOX",
                          new String[] {"MESSAGES", "UIDNEXT", "UNSEEN", "HIGHESTMODSEQ"}));
    }
    List<MailroomEvent> events =
        MailTopic.read(
            kafka,
            mailTopic,
            id,
            seen ->
                MailTopic.of(seen, MessageAdded.class).size() >= 4
                    && MailTopic.of(seen, MailboxStatus.class).size() >= 3,
            Duration.ofSeconds(20));
    Map<String, MessageAdded> bySubject =
        MailTopic.of(events, MessageAdded.class).stream()
            .collect(Collectors.toMap(MessageAdded::subject, Function.identity()));
    assertThat(bySubject).containsOnlyKeys("move-me", "read-me", "drop-me", "new-one");
    assertThat(MailTopic.of(events, FlagsChanged.class))
        .extracting(f -> f.uid() + " " + f.flags())
        .containsExactly(bySubject.get("read-me").uid() + " [\\Seen]");
    assertThat(MailTopic.of(events, MessageExpunged.class))
        .extracting(MessageExpunged::uid)
        .containsExactlyInAnyOrder(bySubject.get("drop-me").uid(), bySubject.get("move-me").uid());
    List<MailboxStatus> statuses = MailTopic.of(events, MailboxStatus.class);
    MailboxStatus last = statuses.get(statuses.size() - 1);
    assertThat(last.messages()).isEqualTo(2).isEqualTo(now.total);
    assertThat(last.unseen()).isEqualTo(1).isEqualTo(now.unseen);
    assertThat(last.uidNext()).isEqualTo(now.uidnext);
    assertThat(last.highestModSeq().value()).isEqualTo(now.highestmodseq);
  }

  /**
   * A selection opened with QRESYNC numbers only the messages it fetched, and the connector's own
   * fetches number none (they go by UID and are kept from Angus's message cache). When another
   * client expunges a message, the kept selection hears a VANISHED for a UID it never numbered: the
   * next sync goes on in the same selection, by UID, and reports the expunge and the new message
   * with the right counts. (It once selected the mailbox again, when new messages were fetched by
   * sequence number and a stale numbering could read the wrong message.)
   */
  @org.junit.jupiter.api.Test
  void anExpungeTheSelectionNeverNumberedIsReadByUidInTheSameSelection() throws Exception {
    String password = "pw-" + System.nanoTime();
    String user = TestDovecot.newUser("renumber", password);
    try (Store client = TestDovecot.login(user, password)) {
      TestDovecot.append(client, "INBOX", "old-1", "<old-1@test>");
      TestDovecot.append(client, "INBOX", "old-2", "<old-2@test>");
      TestDovecot.append(client, "INBOX", "old-3", "<old-3@test>");
      TestDovecot.create(client, "Work");
    }
    AccountId id = AccountId.random();
    MailboxSync sync = new MailboxSync(id, publisher, Clock.systemUTC(), 100, 2_097_152, 4096);
    IMAPStore store = connect(user, password);
    try {
      MailboxState inbox =
          sync.sync((IMAPFolder) store.getFolder("INBOX"), null, ServerChanges.Path.QRESYNC);
      sync.sync((IMAPFolder) store.getFolder("Work"), null, ServerChanges.Path.QRESYNC);
      try (Store client = TestDovecot.login(user, password)) {
        TestDovecot.flag(client, "INBOX", "old-1", Flags.Flag.SEEN, true);
      }
      // Selected again with QRESYNC (UIDVALIDITY and MODSEQ): the folder numbers old-1 alone.
      inbox = sync.sync((IMAPFolder) store.getFolder("INBOX"), inbox, ServerChanges.Path.QRESYNC);
      IMAPFolder selection = sync.selected();
      assertThat(selection.getFullName()).isEqualTo("INBOX");
      try (Store client = TestDovecot.login(user, password)) {
        TestDovecot.expunge(client, "INBOX", "old-2");
        TestDovecot.append(client, "INBOX", "fresh", "<fresh@test>");
      }
      sync.sync((IMAPFolder) store.getFolder("INBOX"), inbox, ServerChanges.Path.QRESYNC);
      assertThat(sync.selected()).as("the same selection, not selected again").isSameAs(selection);
    } finally {
      store.close();
    }
    List<MailroomEvent> events =
        MailTopic.read(
            kafka,
            mailTopic,
            id,
            seen ->
                MailTopic.of(seen, MessageAdded.class).size() >= 4
                    && MailTopic.of(seen, MessageExpunged.class).size() >= 1
                    && MailTopic.of(seen, MailboxStatus.class).size() >= 4,
            Duration.ofSeconds(20));
    Map<String, MessageAdded> bySubject =
        MailTopic.of(events, MessageAdded.class).stream()
            .collect(Collectors.toMap(MessageAdded::subject, Function.identity()));
    assertThat(bySubject).containsOnlyKeys("old-1", "old-2", "old-3", "fresh");
    assertThat(bySubject.get("fresh").messageId()).isEqualTo("<fresh@test>");
    assertThat(MailTopic.of(events, MessageExpunged.class))
        .extracting(MessageExpunged::uid)
        .containsExactly(bySubject.get("old-2").uid());
    MailboxStatus last =
        MailTopic.of(events, MailboxStatus.class).stream()
            .filter(st -> st.path().value().equals("INBOX"))
            .reduce((a, b) -> b)
            .orElseThrow();
    assertThat(last.messages()).isEqualTo(3);
    assertThat(last.unseen()).isEqualTo(2);
  }

  private IMAPStore connect(String user, String password) throws Exception {
    return connector.connect(
        new ImapEndpoint(TestDovecot.HOST, TestDovecot.IMAPS_PORT, Security.TLS, user), password);
  }

  private static void syncAll(
      IMAPStore store,
      MailboxSync sync,
      Map<MailboxPath, MailboxState> states,
      ServerChanges.Path path)
      throws Exception {
    for (String name : List.of("INBOX", "Work")) {
      MailboxPath mailbox = MailboxPath.of(name);
      states.put(mailbox, sync.sync((IMAPFolder) store.getFolder(name), states.get(mailbox), path));
    }
  }
}
