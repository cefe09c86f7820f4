package dev.mailroom.connector.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.connector.MailTopic;
import dev.mailroom.connector.RecordingProxy;
import dev.mailroom.connector.TestDovecot;
import dev.mailroom.connector.publish.EventPublisher;
import dev.mailroom.events.MailroomEvent;
import dev.mailroom.events.mail.MailboxStatus;
import dev.mailroom.events.mail.MessageAdded;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.testing.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A first sync's batches follow bytes as well as messages: mail of long texts, or of short texts to
 * hundreds of recipients, is fetched in smaller batches once a batch of it has been read, short
 * mail in batches of the full count, after two of a tenth of it (mail not yet read is of unknown
 * size). Seen in the UID FETCH commands the connector writes to real Dovecot (through a recording
 * relay), and every message is announced once either way.
 */
@QuarkusTest
class BatchBytesTest {

  static final TestKafka kafka = TestKafka.shared();

  private static final int BATCH = 20;
  private static final int FEWEST = BATCH / 10;
  private static final int BATCH_BYTES = 40_000;
  private static final int MESSAGES = 60;

  @Inject EventPublisher publisher;

  @ConfigProperty(name = "mailroom.topic.mail")
  String mailTopic;

  @Test
  void longTextsAreFetchedInSmallerBatchesAndShortOnesInFullOnes() throws Exception {
    String password = "pw-" + System.nanoTime();
    String user = TestDovecot.newUser("batchbytes", password);
    try (Store client = TestDovecot.login(user, password)) {
      append(client, "Long", "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ", 100, 0);
      append(client, "Short", "Short.", 1, 0);
      append(client, "Crowded", "Short.", 1, 300);
    }
    AccountId id = AccountId.random();
    MailboxSync sync = new MailboxSync(id, publisher, Clock.systemUTC(), BATCH, BATCH_BYTES, 8192);

    List<Integer> longBatches = batchesOf(sync, user, password, "Long");
    List<Integer> shortBatches = batchesOf(sync, user, password, "Short");
    List<Integer> crowdedBatches = batchesOf(sync, user, password, "Crowded");

    // A mailbox's first two batches are written before any of its mail is read: a tenth of the
    // full count each. About 5,800 bytes of text a message: after the first batch is read, the
    // batch after the next takes 40,000 / 5,800 = 6.
    assertThat(longBatches).hasSizeGreaterThanOrEqualTo(5);
    assertThat(longBatches.subList(0, 2)).containsExactly(FEWEST, FEWEST);
    assertThat(longBatches.subList(2, longBatches.size() - 1))
        .allSatisfy(n -> assertThat(n).isBetween(5, 7));
    assertThat(longBatches.stream().mapToInt(Integer::intValue).sum()).isEqualTo(MESSAGES);
    assertThat(shortBatches).containsExactly(FEWEST, FEWEST, BATCH, BATCH, 16);
    // Short texts to 300 recipients each: about 13,000 bytes of envelope a message, which is
    // counted too, so those batches stay small as the long texts' do (40,000 / 13,000: 3).
    assertThat(crowdedBatches.subList(0, 2)).containsExactly(FEWEST, FEWEST);
    assertThat(crowdedBatches.subList(2, crowdedBatches.size() - 1))
        .isNotEmpty()
        .allSatisfy(n -> assertThat(n).isBetween(FEWEST, 5));
    assertThat(crowdedBatches.stream().mapToInt(Integer::intValue).sum()).isEqualTo(MESSAGES);

    List<MailroomEvent> events =
        MailTopic.read(
            kafka,
            mailTopic,
            id,
            seen -> MailTopic.of(seen, MailboxStatus.class).size() >= 3,
            Duration.ofSeconds(30));
    List<MessageAdded> added = MailTopic.of(events, MessageAdded.class);
    for (String mailbox : List.of("Long", "Short", "Crowded")) {
      assertThat(added)
          .filteredOn(a -> a.mailbox().value().equals(mailbox))
          .extracting(a -> a.uid().value())
          .as("every message of %s announced once", mailbox)
          .doesNotHaveDuplicates()
          .hasSize(MESSAGES);
    }
  }

  /** Syncs one mailbox through a recording relay: the UIDs in each batch's UID FETCH, in order. */
  private List<Integer> batchesOf(MailboxSync sync, String user, String password, String mailbox)
      throws Exception {
    try (RecordingProxy proxy = new RecordingProxy(TestDovecot.HOST, TestDovecot.IMAP_PORT);
        Store store = Session.getInstance(new Properties()).getStore("imap")) {
      store.connect("127.0.0.1", proxy.port(), user, password);
      sync.sync((IMAPFolder) store.getFolder(mailbox), null, ServerChanges.Path.QRESYNC);
      List<Integer> sizes = new ArrayList<>();
      Matcher m = Pattern.compile("UID FETCH ([0-9:,]+) \\(UID FLAGS").matcher(proxy.clientBytes());
      while (m.find()) {
        sizes.add(count(m.group(1)));
      }
      return sizes;
    }
  }

  private static int count(String uidSet) {
    int n = 0;
    for (String range : uidSet.split(",")) {
      String[] ends = range.split(":");
      n += ends.length == 1 ? 1 : Integer.parseInt(ends[1]) - Integer.parseInt(ends[0]) + 1;
    }
    return n;
  }

  /**
   * {@link #MESSAGES} messages of {@code lines} times {@code line}, each to {@code recipients}
   * named people besides the sender.
   */
  private static void append(Store store, String mailbox, String line, int lines, int recipients)
      throws Exception {
    Folder folder = store.getFolder(mailbox);
    folder.create(Folder.HOLDS_MESSAGES);
    List<Message> messages = new ArrayList<>();
    for (int i = 1; i <= MESSAGES; i++) {
      MimeMessage m = new MimeMessage((Session) null);
      m.setFrom(new InternetAddress("sender@example.com"));
      for (int r = 1; r <= recipients; r++) {
        m.addRecipient(
            Message.RecipientType.TO,
            new InternetAddress("recipient" + r + "@example.com", "Recipient Number " + r));
      }
      m.setSubject(mailbox + " " + i);
      m.setText((line + "\n").repeat(lines), "us-ascii");
      messages.add(m);
    }
    folder.appendMessages(messages.toArray(Message[]::new));
  }
}
