import dev.mailroom.events.model.AccountId;
import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.eclipse.angus.mail.imap.IMAPFolder;

/**
 * Bench.java's second measurement: flag changes made by another IMAP client in the measured
 * account's mailboxes, each timed until (a) its event is on the mail topic and (b) the store
 * (sync-service's PostgreSQL) has the flag. Prints p50 / p99 per mailbox and RESULT lines.
 */
final class BenchFlags {
  /** How often PostgreSQL is asked whether a flag change is stored. */
  private static final long FLAG_POLL_MS = 2;

  private static final long FLAG_TIMEOUT_NS = 5_000_000_000L;

  /**
   * Sets {@code \Flagged} on up to {@code changes} messages of each mailbox that do not have it,
   * newest first, one after the other, each waited for; {@code seen} is what the mail topic has
   * shown of the account.
   */
  static void run(
      String host,
      int port,
      String user,
      String password,
      String jdbcUrl,
      List<String> flagMailboxes,
      int changes,
      AccountId id,
      BenchKafka.Seen seen,
      URI mailboxesUri)
      throws Exception {
    Properties props = new Properties();
    props.put("mail.imaps.ssl.trust", "*");
    String pgUser = System.getenv().getOrDefault("PGUSER", "mailroom");
    try (Store store = Session.getInstance(props).getStore("imaps");
        Connection db = DriverManager.getConnection(jdbcUrl, pgUser, Bench.env("PGPASSWORD"));
        PreparedStatement flagged =
            db.prepareStatement(
                """
            select 1 from message_location
            where account_id = ? and mailbox = ? and uid_validity = ? and uid = ? and ? = any (flags)""")) {
      store.connect(host, port, user, password);
      for (String mailbox : flagMailboxes) {
        IMAPFolder folder = (IMAPFolder) store.getFolder(mailbox);
        folder.open(Folder.READ_WRITE);
        Message[] all = folder.getMessages();
        BenchStore.awaitStored(mailboxesUri, mailbox, all.length);
        // The corpus holds flagged mail: setting \Flagged again changes nothing, and no event
        // would come. Only messages without it are changed, the newest first.
        FetchProfile flagsProfile = new FetchProfile();
        flagsProfile.add(FetchProfile.Item.FLAGS);
        folder.fetch(all, flagsProfile);
        List<Message> unflagged = new ArrayList<>();
        for (Message m : all) {
          if (!m.isSet(Flags.Flag.FLAGGED)) {
            unflagged.add(m);
          }
        }
        long uidValidity = folder.getUIDValidity();
        List<Long> inStore = new ArrayList<>();
        List<Long> onKafka = new ArrayList<>();
        List<String> slow = new ArrayList<>();
        int missed = 0;
        long phaseStart = System.nanoTime();
        for (int i = 0; i < changes && i < unflagged.size(); i++) {
          Message m = unflagged.get(unflagged.size() - 1 - i);
          long uid = folder.getUID(m);
          String k = mailbox + "/" + uid;
          seen.flagged.remove(k);
          flagged.setObject(1, UUID.fromString(id.toString()));
          flagged.setString(2, mailbox);
          flagged.setLong(3, uidValidity);
          flagged.setLong(4, uid);
          flagged.setString(5, "\\Flagged");
          long t0 = System.nanoTime();
          m.setFlag(Flags.Flag.FLAGGED, true);
          long storedAt = 0;
          while (System.nanoTime() - t0 < FLAG_TIMEOUT_NS) {
            try (ResultSet rs = flagged.executeQuery()) {
              if (rs.next()) {
                storedAt = System.nanoTime();
                break;
              }
            }
            Thread.sleep(FLAG_POLL_MS);
          }
          while (!seen.flagged.containsKey(k) && System.nanoTime() - t0 < FLAG_TIMEOUT_NS) {
            Thread.sleep(1); // normally there already: the store applies what is on Kafka
          }
          Long kafkaAt = seen.flagged.get(k);
          // A change not seen in time counts as the timeout, so it still weighs on p99.
          onKafka.add(kafkaAt == null ? FLAG_TIMEOUT_NS / 1_000_000 : (kafkaAt - t0) / 1_000_000);
          inStore.add(storedAt == 0 ? FLAG_TIMEOUT_NS / 1_000_000 : (storedAt - t0) / 1_000_000);
          if (storedAt == 0) {
            missed++;
          }
          if (storedAt == 0 || storedAt - t0 > 1_000_000_000L) {
            slow.add(
                String.format(
                    "#%d at %.1f s: store %s, Kafka %s",
                    i,
                    (t0 - phaseStart) / 1e9,
                    storedAt == 0 ? ">5 s" : (storedAt - t0) / 1_000_000 + " ms",
                    kafkaAt == null ? ">5 s" : (kafkaAt - t0) / 1_000_000 + " ms"));
          }
        }
        folder.close(false);
        Collections.sort(inStore);
        Collections.sort(onKafka);
        System.out.printf(
            "flag change -> in the store, %s: n=%d p50=%d ms p99=%d ms max=%d ms missed(>5 s, counted as 5000 ms)=%d%n",
            mailbox, inStore.size(), p(inStore, 0.50), p(inStore, 0.99), p(inStore, 1.0), missed);
        System.out.printf(
            "flag change -> event on Kafka, %s: n=%d p50=%d ms p99=%d ms max=%d ms%n",
            mailbox, onKafka.size(), p(onKafka, 0.50), p(onKafka, 0.99), p(onKafka, 1.0));
        if (!slow.isEmpty()) {
          System.out.printf(
              "  %d change(s) over 1 s in %s: %s%s%n",
              slow.size(),
              mailbox,
              String.join("; ", slow.subList(0, Math.min(20, slow.size()))),
              slow.size() > 20 ? "; ..." : "");
        }
        // One token for the name, as RESULT lines are read by words: UTF-8, percent-encoded.
        System.out.printf(
            "RESULT flags_%s store_p50_ms=%d store_p99_ms=%d store_max_ms=%d store_n=%d missed=%d"
                + " kafka_p50_ms=%d kafka_p99_ms=%d%n",
            URLEncoder.encode(mailbox, StandardCharsets.UTF_8),
            p(inStore, 0.50),
            p(inStore, 0.99),
            p(inStore, 1.0),
            inStore.size(),
            missed,
            p(onKafka, 0.50),
            p(onKafka, 0.99));
      }
    }
  }

  /** The nearest-rank percentile of sorted values, -1 when there are none. */
  private static long p(List<Long> sorted, double q) {
    if (sorted.isEmpty()) {
      return -1;
    }
    return sorted.get(
        Math.max(0, Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * q) - 1)));
  }
}
