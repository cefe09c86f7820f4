package dev.mailroom.connector.imap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.connector.RecordingProxy;
import dev.mailroom.connector.TestDovecot;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.ResyncData;
import org.eclipse.angus.mail.imap.protocol.ENVELOPE;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.junit.jupiter.api.Test;

/**
 * A batch's command written while the batch before is still being handled, on real Dovecot: every
 * batch gets exactly its own messages and texts, whatever else the server sends in between, and the
 * connection is fit for other commands once the command in flight is settled or abandoned.
 */
class FetchPipelineTest {

  private static final int BOUND = 4096;

  @Test
  void eachBatchGetsItsOwnRepliesAndTextsWhileTheNextIsInFlight() throws Exception {
    String password = "pw-" + System.nanoTime();
    String user = TestDovecot.newUser("pipeline", password);
    List<String> raw = new ArrayList<>();
    for (int i = 1; i <= 9; i++) {
      raw.add(
          switch (i % 3) {
            case 0 -> plain(i); // its text is part 1, in the batch's own reply
            case 1 -> nested(i); // part 1.1: a partial fetch of its own
            default -> attachmentFirst(i); // part 2: another partial fetch
          });
    }
    append(user, password, raw);

    try (Store store = TestDovecot.login(user, password)) {
      IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
      inbox.open(Folder.READ_ONLY);
      FetchPipeline pipeline = new FetchPipeline(inbox, MessageMapper.items(false, BOUND), BOUND);
      long[][] batches = {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}};
      for (int b = 0; b < batches.length; b++) {
        long[] next = b + 1 < batches.length ? batches[b + 1] : null;
        FetchPipeline.Batch batch = pipeline.fetch(batches[b], next);
        assertThat(batch.replies().stream().mapToLong(MessageMapper::uid).toArray())
            .containsExactly(batches[b]);
        for (long uid : batches[b]) {
          assertThat(batch.texts().get(uid).decode().text())
              .as("UID %d's own text", uid)
              .isEqualTo(expectedText((int) uid));
        }
      }
      assertThat(ImapCommands.holds(inbox, 9)).as("nothing left in flight").isTrue();
    }
  }

  @Test
  void aFlagChangeTheServerSendsAlongIsNotTakenForAMessage() throws Exception {
    String password = "pw-" + System.nanoTime();
    String user = TestDovecot.newUser("pipeflags", password);
    append(user, password, LongStream.rangeClosed(1, 9).mapToObj(i -> plain((int) i)).toList());

    try (RecordingProxy proxy = new RecordingProxy(TestDovecot.HOST, TestDovecot.IMAP_PORT);
        Store store = Session.getInstance(new Properties()).getStore("imap");
        Store other = TestDovecot.login(user, password)) {
      store.connect("127.0.0.1", proxy.port(), user, password);
      IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
      long uidValidity = inbox.getUIDValidity();
      inbox.open(Folder.READ_ONLY, new ResyncData(uidValidity, 1)); // QRESYNC: UIDs in updates
      FetchPipeline pipeline = new FetchPipeline(inbox, MessageMapper.items(true, BOUND), BOUND);

      FetchPipeline.Batch first = pipeline.fetch(new long[] {1, 2, 3}, new long[] {4, 5, 6});
      // Another client flags a message of the batch in flight and one of the batch after it: the
      // server tells this connection at the end of a later command, with the UID.
      Folder theirs = other.getFolder("INBOX");
      theirs.open(Folder.READ_WRITE);
      theirs.setFlags(new int[] {5, 8}, new Flags(Flags.Flag.FLAGGED), true);
      theirs.close(false);
      FetchPipeline.Batch second = pipeline.fetch(new long[] {4, 5, 6}, new long[] {7, 8, 9});
      FetchPipeline.Batch third = pipeline.fetch(new long[] {7, 8, 9}, null);

      assertThat(proxy.serverBytes())
          .as("the server sent a flag change along, outside any batch's reply")
          .containsPattern(
              Pattern.compile(
                  "(?m)^\\* \\d+ FETCH \\((?!.*ENVELOPE)(?=.*UID 8\\b)(?=.*\\\\Flagged).*$"));
      assertThat(first.replies()).extracting(MessageMapper::uid).containsExactly(1L, 2L, 3L);
      assertThat(second.replies()).extracting(MessageMapper::uid).containsExactly(4L, 5L, 6L);
      assertThat(third.replies()).extracting(MessageMapper::uid).containsExactly(7L, 8L, 9L);
      for (FetchPipeline.Batch batch : List.of(first, second, third)) {
        assertThat(batch.replies()).allMatch(r -> r.getItem(ENVELOPE.class) != null);
      }
    }
  }

  @Test
  void aSettledOrAbandonedPipelineLeavesTheConnectionFitForOtherCommands() throws Exception {
    String password = "pw-" + System.nanoTime();
    String user = TestDovecot.newUser("pipesettle", password);
    append(user, password, LongStream.rangeClosed(1, 6).mapToObj(i -> nested((int) i)).toList());

    try (Store store = TestDovecot.login(user, password)) {
      IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
      inbox.open(Folder.READ_ONLY);
      FetchPipeline pipeline = new FetchPipeline(inbox, MessageMapper.items(false, BOUND), BOUND);
      pipeline.fetch(new long[] {1, 2}, new long[] {3, 4});
      pipeline.settle();
      // Another command while the next batch is settled: its replies are not taken for this one's.
      assertThat(ImapCommands.holds(inbox, 2)).isTrue();
      assertThat(ImapCommands.holds(inbox, 99)).isFalse();
      FetchPipeline.Batch settled = pipeline.fetch(new long[] {3, 4}, new long[] {5, 6});
      assertThat(settled.replies()).extracting(MessageMapper::uid).containsExactly(3L, 4L);
      assertThat(settled.texts().get(4L).decode().text()).isEqualTo(expectedText(4));

      pipeline.abandon(); // the batch {5, 6} in flight is read and dropped
      UidList listed = ImapCommands.uids(inbox, 1, false);
      assertThat(listed.slice(0, listed.size())).containsExactly(1, 2, 3, 4, 5, 6);
      FetchPipeline again = new FetchPipeline(inbox, MessageMapper.items(false, BOUND), BOUND);
      List<FetchResponse> replies = again.fetch(new long[] {5, 6}, null).replies();
      assertThat(replies).extracting(MessageMapper::uid).containsExactly(5L, 6L);
    }
  }

  private static void append(String user, String password, List<String> raw) throws Exception {
    try (Store client = TestDovecot.login(user, password)) {
      Folder inbox = client.getFolder("INBOX");
      Session session = Session.getInstance(new Properties());
      Message[] messages = new Message[raw.size()];
      for (int i = 0; i < raw.size(); i++) {
        byte[] bytes = raw.get(i).replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
        messages[i] = new MimeMessage(session, new ByteArrayInputStream(bytes));
      }
      inbox.appendMessages(messages);
    }
  }

  private static String expectedText(int i) {
    return switch (i % 3) {
      case 0 -> "Grüße Nummer " + i + ".\n";
      case 1 -> "Verschachtelt " + i + ".";
      default -> "Danach " + i + ".";
    };
  }

  private static String plain(int i) {
    return """
        From: a@example.com
        Subject: plain %d
        MIME-Version: 1.0
        Content-Type: text/plain; charset=utf-8
        Content-Transfer-Encoding: 8bit

        Grüße Nummer %d.
        """
        .formatted(i, i);
  }

  private static String nested(int i) {
    return """
        From: a@example.com
        Subject: nested %d
        MIME-Version: 1.0
        Content-Type: multipart/mixed; boundary="mix"

        --mix
        Content-Type: multipart/alternative; boundary="alt"

        --alt
        Content-Type: text/plain; charset=us-ascii

        Verschachtelt %d.
        --alt
        Content-Type: text/html; charset=us-ascii

        <p>Verschachtelt %d.</p>
        --alt--

        --mix
        Content-Type: application/pdf; name="a.pdf"
        Content-Disposition: attachment; filename="a.pdf"
        Content-Transfer-Encoding: base64

        JVBERi0xLjQK
        --mix--
        """
        .formatted(i, i, i);
  }

  private static String attachmentFirst(int i) {
    return """
        From: a@example.com
        Subject: attachment first %d
        MIME-Version: 1.0
        Content-Type: multipart/mixed; boundary="mix"

        --mix
        Content-Type: application/octet-stream; name="x.bin"
        Content-Disposition: attachment; filename="x.bin"
        Content-Transfer-Encoding: base64

        AAECAw==
        --mix
        Content-Type: text/plain; charset=us-ascii

        Danach %d.
        --mix--
        """
        .formatted(i, i);
  }
}
