package dev.mailroom.connector.push;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Session;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.junit.jupiter.api.Test;

/**
 * The NOTIFY re-arm against a scripted server, where the test decides what the server says and
 * when: a change heard during IDLE is signalled, the NOTIFY is set again (NONE, then SET STATUS),
 * and of the STATUS answer only the mailboxes that differ from what was last known are signalled.
 * Against Dovecot the same path is covered by SyncEngineTest (its list index log rotation).
 */
class PushWatcherTest {

  private static final String INBOX_1 =
      "* STATUS INBOX (MESSAGES 1 UIDNEXT 2 UIDVALIDITY 7 UNSEEN 0 HIGHESTMODSEQ 10)";
  private static final String ARCHIVE_1 =
      "* STATUS Archive (MESSAGES 3 UIDNEXT 4 UIDVALIDITY 8 UNSEEN 0 HIGHESTMODSEQ 20)";

  @Test
  void aChangeHeardSetsTheNotifyAgainAndSignalsOnlyWhatItHadNotHeard() throws Exception {
    try (NotifyServer server = new NotifyServer(true)) {
      // The re-arm's answer: Archive as the notification left it, INBOX with a message it never
      // heard of.
      server.rearmAnswer =
          List.of(
              "* STATUS INBOX (MESSAGES 2 UIDNEXT 3 UIDVALIDITY 7 UNSEEN 1 HIGHESTMODSEQ 11)",
              "* STATUS Archive (MESSAGES 3 UIDNEXT 4 UIDVALIDITY 8 UNSEEN 0 HIGHESTMODSEQ 21)");
      BlockingQueue<String> signals = new LinkedBlockingQueue<>();
      PushWatcher watcher = start(server, signals);

      server.awaitCommand("IDLE", 1);
      server.push("* STATUS Archive (HIGHESTMODSEQ 21)"); // Dovecot sends only what changed
      assertThat(signals.poll(5, TimeUnit.SECONDS)).isEqualTo("Archive");
      server.awaitCommand("IDLE", 2);
      assertThat(signals.poll(5, TimeUnit.SECONDS)).isEqualTo("INBOX");
      assertThat(signals.poll(300, TimeUnit.MILLISECONDS))
          .as("Archive's change was heard already")
          .isNull();
      assertThat(server.commands())
          .containsSubsequence(
              "NOTIFY SET STATUS", "IDLE", "DONE", "NOTIFY NONE", "NOTIFY SET STATUS", "IDLE");

      watcher.stop();
      server.awaitCommand("LOGOUT", 1);
    }
  }

  @Test
  void aServerThatRefusesNotifyNoneKeepsItsFirstNotifyAndStillSignals() throws Exception {
    try (NotifyServer server = new NotifyServer(false)) {
      BlockingQueue<String> signals = new LinkedBlockingQueue<>();
      PushWatcher watcher = start(server, signals);

      server.awaitCommand("IDLE", 1);
      server.push("* STATUS Archive (HIGHESTMODSEQ 21)");
      assertThat(signals.poll(5, TimeUnit.SECONDS)).isEqualTo("Archive");
      server.awaitCommand("IDLE", 2);
      server.push("* STATUS Archive (HIGHESTMODSEQ 22)");
      assertThat(signals.poll(5, TimeUnit.SECONDS)).isEqualTo("Archive");
      Thread.sleep(300);
      assertThat(server.count("NOTIFY NONE")).isEqualTo(1);
      assertThat(server.count("NOTIFY SET STATUS"))
          .as("no NOTIFY SET over the one in place")
          .isEqualTo(1);
      assertThat(server.count("IDLE")).as("the second change did not end the IDLE").isEqualTo(2);
      assertThat(signals).doesNotContain(PushWatcher.FAILED);

      watcher.stop();
      server.awaitCommand("LOGOUT", 1);
    }
  }

  private static PushWatcher start(NotifyServer server, BlockingQueue<String> signals)
      throws Exception {
    Properties props = new Properties();
    props.put("mail.imap.connectiontimeout", "5000");
    props.put("mail.imap.timeout", "10000");
    IMAPStore store = (IMAPStore) Session.getInstance(props).getStore("imap");
    store.connect("127.0.0.1", server.port(), "user", "secret");
    PushWatcher watcher = new PushWatcher(store, true, Duration.ofMinutes(10), signals::add);
    Thread.ofVirtual().name("push-test").start(watcher);
    return watcher;
  }

  /**
   * One connection: LOGIN, CAPABILITY, NOTIFY SET STATUS (answered with INBOX_1 and ARCHIVE_1
   * first, with {@code rearmAnswer} after), IDLE and DONE, NOTIFY NONE (OK or BAD), LOGOUT. {@link
   * #push} writes an untagged line while the client idles.
   */
  private static final class NotifyServer implements AutoCloseable {
    private final ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    private final boolean acceptsNone;
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private volatile OutputStream out;
    volatile List<String> rearmAnswer = List.of(INBOX_1, ARCHIVE_1);

    NotifyServer(boolean acceptsNone) throws IOException {
      this.acceptsNone = acceptsNone;
      Thread.ofVirtual().name("notify-server").start(this::serve);
    }

    int port() {
      return socket.getLocalPort();
    }

    List<String> commands() {
      return commands;
    }

    long count(String command) {
      return commands.stream().filter(command::equals).count();
    }

    void awaitCommand(String command, int times) throws InterruptedException {
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (count(command) < times) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError(
              "no " + command + " #" + times + " within 5 s; the server saw " + commands);
        }
        Thread.sleep(10);
      }
    }

    void push(String line) throws IOException {
      write(line);
    }

    private void serve() {
      try (Socket client = socket.accept()) {
        out = client.getOutputStream();
        var in =
            new BufferedReader(
                new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
        write("* OK [CAPABILITY IMAP4rev1 IDLE NOTIFY] scripted NOTIFY server");
        String idleTag = null;
        int notifySets = 0;
        for (String line; (line = in.readLine()) != null; ) {
          if (line.equals("DONE")) {
            commands.add("DONE");
            write(idleTag + " OK IDLE done");
            continue;
          }
          String[] parts = line.split(" ", 3);
          String tag = parts[0];
          String rest = parts.length > 2 ? parts[1] + " " + parts[2] : parts[1];
          String upper = rest.toUpperCase();
          if (upper.startsWith("NOTIFY SET STATUS")) {
            commands.add("NOTIFY SET STATUS");
            for (String status : notifySets++ == 0 ? List.of(INBOX_1, ARCHIVE_1) : rearmAnswer) {
              write(status);
            }
            write(tag + " OK NOTIFY completed");
          } else if (upper.startsWith("NOTIFY NONE")) {
            commands.add("NOTIFY NONE");
            write(tag + (acceptsNone ? " OK NOTIFY completed" : " BAD Unknown command"));
          } else if (upper.startsWith("LOGIN")) {
            commands.add("LOGIN");
            write(tag + " OK [CAPABILITY IMAP4rev1 IDLE NOTIFY] Logged in");
          } else if (upper.startsWith("CAPABILITY")) {
            write("* CAPABILITY IMAP4rev1 IDLE NOTIFY", tag + " OK done");
          } else if (upper.startsWith("IDLE")) {
            idleTag = tag;
            write("+ idling");
            commands.add("IDLE");
          } else if (upper.startsWith("LOGOUT")) {
            commands.add("LOGOUT");
            write("* BYE bye", tag + " OK done");
            return;
          } else {
            commands.add(upper);
            write(tag + " BAD not scripted");
          }
        }
      } catch (IOException e) {
        // the client went away
      }
    }

    private synchronized void write(String... lines) throws IOException {
      for (String line : lines) {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
      }
      out.flush();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
