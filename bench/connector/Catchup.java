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
import dev.mailroom.events.mail.MessageExpunged;
import dev.mailroom.events.model.AccountId;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
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
 * Benchmark 3, reconnect catch-up: the connector reaches Dovecot through a byte-counting TCP proxy;
 * it syncs a bulk-loaded INBOX in full, is stopped, 20 changes are made by another client (flags
 * set, messages appended, messages expunged), and it is started again. Prints the bytes the
 * connector read from the server (TLS records, server to client) and the time for the full sync and
 * for the catch-up, and their ratio. Run by catchup.sh.
 *
 * <p>Arguments: kafka accountsTopic mailTopic keyId key imapHost imapsPort user password messages
 * connectorJar connectorLog
 */
public class Catchup {

  static final AtomicLong down = new AtomicLong();
  static final AtomicLong up = new AtomicLong();
  static final AtomicLong connections = new AtomicLong();
  static final Map<String, Long> seen = new ConcurrentHashMap<>();

  public static void main(String[] a) throws Exception {
    String kafka = a[0], accountsTopic = a[1], mailTopic = a[2], keyId = a[3], key = a[4];
    String host = a[5];
    int port = Integer.parseInt(a[6]);
    String user = a[7], password = a[8];
    int messages = Integer.parseInt(a[9]);
    String jar = a[10], log = a[11];

    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka))) {
      for (var topic :
          List.of(
              new NewTopic(accountsTopic, 3, (short) 1), new NewTopic(mailTopic, 12, (short) 1))) {
        try {
          admin.createTopics(List.of(topic)).all().get();
        } catch (java.util.concurrent.ExecutionException e) {
          // already there
        }
      }
    }
    ServerSocket proxy = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    Thread.ofPlatform().daemon().start(() -> accept(proxy, host, port));

    AccountId id = AccountId.random();
    Thread.ofPlatform().daemon().start(() -> read(kafka, mailTopic, id));
    var sealed = SecretBox.of(keyId, Map.of(keyId, key)).seal(password, id.toString());
    Instant created = Instant.now(); // the first and only version of this account
    send(
        kafka,
        accountsTopic,
        new AccountDefined(
            id,
            "bench",
            user,
            user + "@localhost",
            new ImapEndpoint("localhost", proxy.getLocalPort(), Security.TLS, user),
            sealed,
            created,
            created));

    // 1. Full sync.
    Process connector = start(jar, log + ".1");
    long t0 = System.nanoTime();
    await(
        "INBOX status after the full sync",
        () -> seen.containsKey("status"),
        Duration.ofMinutes(10));
    double fullSeconds = (System.nanoTime() - t0) / 1e9;
    long fullDown = down.get(), fullUp = up.get();
    Thread.sleep(3000); // let the push connection settle before stopping
    connector.destroy();
    connector.waitFor();
    long added = seen.keySet().stream().filter(k -> k.startsWith("added/")).count();
    System.out.printf(
        "full sync: %d messages, %.2f s, %,d bytes read from the server (%,d sent), %d connections%n",
        added, fullSeconds, fullDown, fullUp, connections.get());
    if (added < messages) {
      System.out.printf("WARNING: expected %d messages, saw %d%n", messages, added);
    }

    // 2. Twenty changes while the connector is down: 10 flagged, 5 appended, 5 expunged.
    Set<String> expected = ConcurrentHashMap.newKeySet();
    Properties props = new Properties();
    props.put("mail.imaps.ssl.trust", "*");
    Session session = Session.getInstance(props);
    try (Store store = session.getStore("imaps")) {
      store.connect(host, port, user, password);
      IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
      inbox.open(Folder.READ_WRITE);
      int total = inbox.getMessageCount();
      for (int i = 0; i < 10; i++) {
        Message m = inbox.getMessage(1 + (int) ((long) total * i / 10));
        m.setFlag(Flags.Flag.FLAGGED, true);
        expected.add("flagged/" + inbox.getUID(m));
      }
      for (int i = 0; i < 5; i++) {
        Message m = inbox.getMessage(total - 1 - i * 7);
        m.setFlag(Flags.Flag.DELETED, true);
        expected.add("expunged/" + inbox.getUID(m));
      }
      inbox.close(true);
      for (int i = 0; i < 5; i++) {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress("late@example.com"));
        m.setSubject("catch-up " + i);
        m.setText("appended while the connector was down " + i);
        inbox.appendMessages(new Message[] {m});
        expected.add("subject/catch-up " + i);
      }
    }

    // 3. Catch-up.
    long downBefore = down.get(), upBefore = up.get(), connsBefore = connections.get();
    long t1 = System.nanoTime();
    connector = start(jar, log + ".2");
    await(
        "the 20 changes on Kafka",
        () -> seen.keySet().containsAll(expected),
        Duration.ofMinutes(5));
    double catchSeconds = (System.nanoTime() - t1) / 1e9;
    long catchDown = down.get() - downBefore, catchUp = up.get() - upBefore;
    System.out.printf(
        "catch-up of 20 changes: %.2f s from process start, %,d bytes read from the server (%,d sent), %d connections%n",
        catchSeconds, catchDown, catchUp, connections.get() - connsBefore);
    System.out.printf(
        "catch-up / full sync bytes read: %.4f%% (goal < 1%%)%n", 100.0 * catchDown / fullDown);
    System.out.printf(
        "RESULT full_bytes=%d full_s=%.3f catchup_bytes=%d catchup_s=%.3f%n",
        fullDown, fullSeconds, catchDown, catchSeconds);
    Thread.sleep(2000);
    System.out.printf(
        "(2 s later: %,d bytes read since the restart, with the push connection and a sweep)%n",
        down.get() - downBefore);
    connector.destroy();
    connector.waitFor();
    System.exit(0);
  }

  static Process start(String jar, String log) throws Exception {
    return new ProcessBuilder(System.getProperty("java.home") + "/bin/java", "-jar", jar)
        .redirectErrorStream(true)
        .redirectOutput(new File(log))
        .start();
  }

  interface Check {
    boolean ok();
  }

  static void await(String what, Check check, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (!check.ok()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(what + ": not within " + within);
      }
      Thread.sleep(20);
    }
  }

  static void accept(ServerSocket proxy, String host, int port) {
    while (true) {
      try {
        Socket client = proxy.accept();
        Socket server = new Socket(host, port);
        connections.incrementAndGet();
        Thread.ofVirtual().start(() -> pipe(server, client, down));
        Thread.ofVirtual().start(() -> pipe(client, server, up));
      } catch (Exception e) {
        return;
      }
    }
  }

  static void pipe(Socket from, Socket to, AtomicLong counter) {
    byte[] buffer = new byte[65536];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        out.write(buffer, 0, n);
        counter.addAndGet(n);
      }
    } catch (Exception e) {
      // one side went away
    } finally {
      try {
        from.close();
        to.close();
      } catch (Exception ignored) {
        // closed already
      }
    }
  }

  static void read(String kafka, String topic, AccountId id) {
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka);
    p.put("group.id", "bench-" + UUID.randomUUID());
    p.put("auto.offset.reset", "earliest");
    p.put("key.deserializer", StringDeserializer.class.getName());
    p.put("value.deserializer", ByteArrayDeserializer.class.getName());
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p)) {
      consumer.subscribe(List.of(topic));
      while (true) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
          if (!id.toString().equals(r.key())) {
            continue;
          }
          long now = System.nanoTime();
          var type = r.headers().lastHeader(CloudEventHeaders.TYPE);
          MailroomEvent e =
              EventCodec.decode(new String(type.value(), StandardCharsets.UTF_8), r.value());
          if (e instanceof MessageAdded m) {
            seen.putIfAbsent("added/" + m.uid().value(), now);
            seen.putIfAbsent("subject/" + m.subject(), now);
          } else if (e instanceof MailboxStatus s && s.path().value().equals("INBOX")) {
            seen.putIfAbsent("status", now);
          } else if (e instanceof FlagsChanged f && f.flags().contains("\\Flagged")) {
            seen.putIfAbsent("flagged/" + f.uid().value(), now);
          } else if (e instanceof MessageExpunged x) {
            seen.putIfAbsent("expunged/" + x.uid().value(), now);
          }
        }
      }
    }
  }

  static void send(String kafka, String topic, MailroomEvent event) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka);
    p.put("key.serializer", StringSerializer.class.getName());
    p.put("value.serializer", ByteArraySerializer.class.getName());
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
      var record =
          new ProducerRecord<>(topic, event.accountId().toString(), EventCodec.encode(event));
      CloudEventHeaders.of(event, "bench", Instant.now())
          .forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
      producer.send(record).get();
    }
  }
}
