package dev.mailroom.connector;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.mailroom.connector.session.SessionManager;
import dev.mailroom.events.MailroomEvent;
import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.events.account.ImapEndpoint;
import dev.mailroom.events.account.Security;
import dev.mailroom.events.mail.FlagsChanged;
import dev.mailroom.events.mail.MailboxStatus;
import dev.mailroom.events.mail.MessageAdded;
import dev.mailroom.events.mail.MessageExpunged;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.testing.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A server with neither CONDSTORE nor QRESYNC (GreenMail): the engine falls back to a full flag and
 * UID scan, still finds flag changes (without MODSEQ) and expunges, in INBOX (IDLE) and in another
 * folder (STATUS sweep).
 */
@QuarkusTest
class PlainServerTest {

  static final TestKafka kafka = TestKafka.shared();

  /**
   * GreenMail's first sync slows down with the folder (over 3 minutes for 10,000): the bench has
   * 10,000.
   */
  static final int ARCHIVED = 2_000;

  static GreenMail greenMail;

  @Inject SessionManagers managers;

  @ConfigProperty(name = "mailroom.topic.accounts")
  String accountsTopic;

  @ConfigProperty(name = "mailroom.topic.mail")
  String mailTopic;

  @BeforeAll
  static void start() {
    greenMail =
        new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP).dynamicPort());
    greenMail.start();
  }

  @AfterAll
  static void stop() {
    greenMail.stop();
  }

  @Test
  void withoutCondstoreAFullScanFindsFlagChangesAndExpunges() throws Exception {
    greenMail.setUser("plain@localhost", "plain", "plain-pw");
    try (Store client = login()) {
      append(client, "INBOX", "one");
      append(client, "INBOX", "two");
      append(client, "Lists", "three");
    }
    AccountId id = AccountId.random();
    kafka.createTopic(accountsTopic, 3);
    kafka.send(accountsTopic, define(id));

    List<MailroomEvent> synced =
        read(
            id,
            seen ->
                MailTopic.of(seen, MailboxStatus.class).stream()
                        .map(s -> s.path().value())
                        .distinct()
                        .count()
                    >= 2);
    assertThat(MailTopic.of(synced, MessageAdded.class))
        .extracting(m -> m.mailbox() + "/" + m.subject())
        .containsExactlyInAnyOrder("INBOX/one", "INBOX/two", "Lists/three");
    assertThat(MailTopic.of(synced, MessageAdded.class))
        .allSatisfy(m -> assertThat(m.modSeq()).isNull());
    assertThat(MailTopic.of(synced, MailboxStatus.class))
        .allSatisfy(s -> assertThat(s.highestModSeq()).isNull());

    try (Store client = login()) {
      change(client, "INBOX", "one", m -> m.setFlag(Flags.Flag.SEEN, true), false);
      change(client, "INBOX", "two", m -> m.setFlag(Flags.Flag.DELETED, true), true);
      change(client, "Lists", "three", m -> m.setFlag(Flags.Flag.FLAGGED, true), false);
    }
    List<MailroomEvent> changed =
        read(
            id,
            seen ->
                MailTopic.of(seen, FlagsChanged.class).stream()
                        .anyMatch(f -> f.mailbox().value().equals("Lists"))
                    && !MailTopic.of(seen, MessageExpunged.class).isEmpty());
    // "two" may also show as \Deleted first when a sync falls between the STORE and the EXPUNGE.
    assertThat(MailTopic.of(changed, FlagsChanged.class))
        .extracting(f -> f.mailbox() + " " + f.flags() + " " + f.modSeq())
        .contains("INBOX [\\Seen] null", "Lists [\\Flagged] null")
        .allSatisfy(f -> assertThat(f).endsWith(" null"));
    assertThat(MailTopic.of(changed, MessageExpunged.class))
        .singleElement()
        .satisfies(x -> assertThat(x.mailbox().value()).isEqualTo("INBOX"));
  }

  /**
   * Outlook.com and many hosted servers have no CONDSTORE either: a {@code \Flagged} set in Archive
   * arrived after 41.8 s (the full flag scan every 60 s). With the production intervals (STATUS
   * sweep 2 s, flag probe 5 s, full scan 10 min, so the scan cannot be what delivers) each change
   * must arrive within 10 s, in INBOX (on IDLE) as well.
   */
  @Test
  void aFlagChangeInALargeFolderOfAServerWithoutCondstoreArrivesWithinTenSeconds()
      throws Exception {
    GreenMailUser user = greenMail.setUser("large@localhost", "large", "large-pw");
    try (Store client = login("large", "large-pw")) {
      append(client, "INBOX", "inbox message");
      client.getFolder("Archive").create(Folder.HOLDS_MESSAGES);
    }
    MailFolder archive = greenMail.getManagers().getImapHostManager().getFolder(user, "Archive");
    Date sent = new Date();
    for (int i = 0; i < ARCHIVED; i++) {
      MimeMessage m = new MimeMessage((Session) null);
      m.setFrom(new InternetAddress("sender@example.com"));
      m.setSubject("archived " + i);
      m.setSentDate(sent);
      m.setText("plain server\n");
      archive.appendMessage(m, new Flags(Flags.Flag.SEEN), sent);
    }
    AccountId id = AccountId.random();
    SessionManager sessions =
        managers.withImap(
            Map.of(
                "pollInterval",
                Duration.ofSeconds(2),
                "flagProbeInterval",
                Duration.ofSeconds(5),
                "fullScanInterval",
                Duration.ofMinutes(10)));
    sessions.hold(
        TestAccounts.at(
            id,
            "large",
            "large-pw",
            new ImapEndpoint("127.0.0.1", greenMail.getImap().getPort(), Security.NONE, "large")),
        0);
    try {
      assertThat(
              MailTopic.awaitFirst(
                  kafka,
                  mailTopic,
                  id,
                  MailboxStatus.class,
                  s -> s.path().value().equals("Archive"),
                  Duration.ofSeconds(180)))
          .as("Archive synced")
          .isNotNull();
      Thread.sleep(3000); // the first sweeps of a session come sooner (see AccountSession.watch)

      Map<String, Duration> took = new LinkedHashMap<>();
      try (Store client = login("large", "large-pw")) {
        for (String target :
            List.of("Archive 17", "Archive 1003", "INBOX 1", "Archive 1998", "Archive 500")) {
          String mailbox = target.split(" ")[0];
          long uid = Long.parseLong(target.split(" ")[1]);
          IMAPFolder folder = (IMAPFolder) client.getFolder(mailbox);
          folder.open(Folder.READ_WRITE);
          Instant changed = Instant.now();
          folder.getMessageByUID(uid).setFlag(Flags.Flag.FLAGGED, true);
          folder.close(false);
          FlagsChanged heard =
              MailTopic.awaitFirst(
                  kafka,
                  mailTopic,
                  id,
                  FlagsChanged.class,
                  f ->
                      f.mailbox().value().equals(mailbox)
                          && f.uid().value() == uid
                          && f.flags().contains("\\Flagged"),
                  Duration.ofSeconds(30));
          assertThat(heard)
              .as("%s: the flag change on the mail topic within 30 s", target)
              .isNotNull();
          took.put(target, Duration.between(changed, heard.observedAt()));
        }
      }
      System.out.printf("plain server, flag change until observed: %s%n", took);
      assertThat(took)
          .allSatisfy((target, d) -> assertThat(d).as(target).isLessThan(Duration.ofSeconds(10)));
    } finally {
      sessions.release(id);
    }
  }

  private static Store login() throws Exception {
    return login("plain", "plain-pw");
  }

  private static Store login(String user, String password) throws Exception {
    Store store = Session.getInstance(new Properties()).getStore("imap");
    store.connect("127.0.0.1", greenMail.getImap().getPort(), user, password);
    return store;
  }

  private static void append(Store store, String mailbox, String subject) throws Exception {
    Folder folder = store.getFolder(mailbox);
    if (!folder.exists()) {
      folder.create(Folder.HOLDS_MESSAGES);
    }
    MimeMessage m = new MimeMessage((Session) null);
    m.setFrom(new InternetAddress("sender@example.com"));
    m.setSubject(subject);
    m.setSentDate(new Date());
    m.setText("plain server\n");
    m.saveChanges();
    folder.appendMessages(new Message[] {m});
  }

  private interface Change {
    void apply(Message m) throws Exception;
  }

  private static void change(
      Store store, String mailbox, String subject, Change change, boolean expunge)
      throws Exception {
    Folder folder = store.getFolder(mailbox);
    folder.open(Folder.READ_WRITE);
    for (Message m : folder.getMessages()) {
      if (subject.equals(m.getSubject())) {
        change.apply(m);
      }
    }
    folder.close(expunge);
  }

  private List<MailroomEvent> read(
      AccountId id, java.util.function.Predicate<List<MailroomEvent>> until) {
    return MailTopic.read(kafka, mailTopic, id, until, Duration.ofSeconds(30));
  }

  private AccountDefined define(AccountId id) {
    return TestAccounts.at(
        id,
        "plain",
        "plain-pw",
        new ImapEndpoint("127.0.0.1", greenMail.getImap().getPort(), Security.NONE, "plain"));
  }
}
