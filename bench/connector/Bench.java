import dev.mailroom.events.EventCodec;
import dev.mailroom.events.MailroomEvent;
import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.events.account.ImapEndpoint;
import dev.mailroom.events.account.Security;
import dev.mailroom.events.cloudevents.CloudEventHeaders;
import dev.mailroom.events.crypto.SecretBox;
import dev.mailroom.events.mail.FlagsChanged;
import dev.mailroom.events.mail.MailboxStatus;
import dev.mailroom.events.mail.MessageAdded;
import dev.mailroom.events.model.AccountId;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.angus.mail.imap.IMAPFolder;

/**
 * The bench client: defines an account on the connector's accounts topic, times the first sync
 * until every message is on the mail topic, then times flag changes made by another IMAP client
 * until their event is on the mail topic. Run by run.sh; prints its figures.
 *
 * <p>Arguments: kafka accountsTopic mailTopic keyId key imapHost imapsPort user password
 * messages flagChanges mailbox...
 */
public class Bench {

  public static void main(String[] a) throws Exception {
    String kafka = a[0], accountsTopic = a[1], mailTopic = a[2], keyId = a[3], key = a[4];
    String host = a[5];
    int port = Integer.parseInt(a[6]);
    String user = a[7], password = a[8];
    int messages = Integer.parseInt(a[9]);
    int changes = Integer.parseInt(a[10]);
    List<String> flagMailboxes = List.of(a).subList(11, a.length);

    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka))) {
      for (var topic : List.of(new NewTopic(accountsTopic, 3, (short) 1), new NewTopic(mailTopic, 12, (short) 1))) {
        try {
          admin.createTopics(List.of(topic)).all().get();
        } catch (java.util.concurrent.ExecutionException e) {
          // the connector's clients may have created it first
        }
      }
    }
    AccountId id = AccountId.random();
    Map<String, Long> arrivals = new ConcurrentHashMap<>();
    long[] inboxAdded = new long[1];
    long[] syncedAt = new long[1];
    Thread reader = Thread.ofPlatform().daemon().start(() -> read(kafka, mailTopic, id, arrivals, inboxAdded, syncedAt));

    var sealed = SecretBox.of(keyId, Map.of(keyId, key)).seal(password, id.toString());
    var account = new AccountDefined(id, "bench", user, user + "@localhost",
        new ImapEndpoint(host, port, Security.TLS, user), sealed, Instant.now());
    long start = System.nanoTime();
    send(kafka, accountsTopic, account);
    while (syncedAt[0] == 0) {
      Thread.sleep(20);
      if (System.nanoTime() - start > Duration.ofMinutes(5).toNanos()) {
        throw new IllegalStateException("first sync did not finish in 5 minutes");
      }
    }
    double seconds = (syncedAt[0] - start) / 1e9;
    System.out.printf("connector: %d INBOX messages on Kafka in %.2f s (%.0f msg/s, from account defined to INBOX status)%n",
        inboxAdded[0], seconds, inboxAdded[0] / seconds);
    System.out.printf("RESULT connector_sync_seconds=%.3f messages=%d%n", seconds, inboxAdded[0]);
    if (inboxAdded[0] < messages) {
      System.out.printf("WARNING: expected %d messages, saw %d%n", messages, inboxAdded[0]);
    }

    Thread.sleep(1500); // the push connection is set up after the first sync
    Properties props = new Properties();
    props.put("mail.imaps.ssl.trust", "*");
    try (Store store = Session.getInstance(props).getStore("imaps")) {
      store.connect(host, port, user, password);
      for (String mailbox : flagMailboxes) {
        IMAPFolder folder = (IMAPFolder) store.getFolder(mailbox);
        folder.open(Folder.READ_WRITE);
        Message[] all = folder.getMessages();
        List<Long> latencies = new ArrayList<>();
        int missed = 0;
        for (int i = 0; i < changes && i < all.length; i++) {
          Message m = all[all.length - 1 - i];
          long uid = folder.getUID(m);
          String k = mailbox + "/" + uid;
          arrivals.remove(k);
          long t0 = System.nanoTime();
          m.setFlag(Flags.Flag.FLAGGED, true);
          while (!arrivals.containsKey(k) && System.nanoTime() - t0 < 5_000_000_000L) {
            Thread.sleep(1);
          }
          Long at = arrivals.get(k);
          if (at == null) {
            missed++;
          } else {
            latencies.add((at - t0) / 1_000_000);
          }
        }
        folder.close(false);
        Collections.sort(latencies);
        long p50 = latencies.isEmpty() ? -1 : latencies.get(latencies.size() / 2);
        long p99 = latencies.isEmpty() ? -1 : latencies.get(Math.min(latencies.size() - 1, (int) Math.ceil(latencies.size() * 0.99) - 1));
        System.out.printf("flag change -> event on Kafka, %s: n=%d p50=%d ms p99=%d ms max=%d ms missed(>5s)=%d%n",
            mailbox, latencies.size(), p50, p99, latencies.isEmpty() ? -1 : latencies.getLast(), missed);
        System.out.printf("RESULT flags_%s_p50_ms=%d p99_ms=%d%n", mailbox, p50, p99);
      }
    }
    reader.interrupt();
    System.exit(0);
  }

  private static void read(String kafka, String topic, AccountId id, Map<String, Long> arrivals,
      long[] inboxAdded, long[] syncedAt) {
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka);
    p.put("group.id", "bench-" + UUID.randomUUID());
    p.put("auto.offset.reset", "earliest");
    p.put("key.deserializer", StringDeserializer.class.getName());
    p.put("value.deserializer", ByteArrayDeserializer.class.getName());
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p)) {
      consumer.subscribe(List.of(topic));
      while (!Thread.currentThread().isInterrupted()) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
          if (!id.toString().equals(r.key())) {
            continue;
          }
          long now = System.nanoTime();
          var type = r.headers().lastHeader(CloudEventHeaders.TYPE);
          MailroomEvent e = EventCodec.decode(new String(type.value(), StandardCharsets.UTF_8), r.value());
          if (e instanceof MessageAdded m && m.mailbox().value().equals("INBOX")) {
            inboxAdded[0]++;
          } else if (e instanceof MailboxStatus s && s.path().value().equals("INBOX") && syncedAt[0] == 0) {
            syncedAt[0] = now;
          } else if (e instanceof FlagsChanged f && f.flags().contains("\\Flagged")) {
            arrivals.putIfAbsent(f.mailbox().value() + "/" + f.uid().value(), now);
          }
        }
      }
    } catch (org.apache.kafka.common.errors.InterruptException done) {
      // the bench is over
    }
  }

  private static void send(String kafka, String topic, MailroomEvent event) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka);
    p.put("key.serializer", StringSerializer.class.getName());
    p.put("value.serializer", ByteArraySerializer.class.getName());
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
      var record = new ProducerRecord<>(topic, event.accountId().toString(), EventCodec.encode(event));
      CloudEventHeaders.of(event, "bench", Instant.now())
          .forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
      producer.send(record).get();
    }
  }
}
