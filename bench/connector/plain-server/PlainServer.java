import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.mailroom.events.EventCodec;
import dev.mailroom.events.MailroomEvent;
import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.events.account.ImapEndpoint;
import dev.mailroom.events.account.Security;
import dev.mailroom.events.cloudevents.CloudEventHeaders;
import dev.mailroom.events.crypto.SecretBox;
import dev.mailroom.events.mail.FlagsChanged;
import dev.mailroom.events.mail.MailboxStatus;
import dev.mailroom.events.model.AccountId;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
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
 * Plain-server benchmark: what the connector costs a server without CONDSTORE (GreenMail 2.1, or
 * Dovecot with {@code imap_capability=IMAP4rev1} for the user), and how late a flag change arrives
 * there. The packaged connector reaches the server through a TCP proxy that counts bytes both ways
 * and the commands the connector sends; nothing else goes through it. Run by run.sh.
 *
 * <p>Arguments: mode (greenmail|dovecot) kafka accountsTopic mailTopic keyId key host port user
 * password messages connectorJar connectorLog idleSeconds flagChanges
 */
public class PlainServer {

  static final Map<String, Long> statuses = new ConcurrentHashMap<>();
  static final Map<String, Instant> flagged = new ConcurrentHashMap<>();

  public static void main(String[] a) throws Exception {
    String mode = a[0],
        kafka = a[1],
        accountsTopic = a[2],
        mailTopic = a[3],
        keyId = a[4],
        key = a[5];
    String host = a[6];
    int port = Integer.parseInt(a[7]);
    String user = a[8], password = a[9];
    int n = Integer.parseInt(a[10]);
    String jar = a[11], log = a[12];
    int idleSeconds = Integer.parseInt(a[13]), flagChanges = Integer.parseInt(a[14]);
    Map<String, Integer> folders = new LinkedHashMap<>();
    folders.put("INBOX", n);
    folders.put("Archive", n);
    folders.put("Sent", Math.max(1, n / 5));
    folders.put("Trash", Math.max(1, n / 50));
    folders.put("Drafts", 5);

    GreenMail greenMail = null;
    if (mode.equals("greenmail")) {
      greenMail =
          new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP).dynamicPort());
      greenMail.start();
      host = "127.0.0.1";
      port = greenMail.getImap().getPort();
      fill(greenMail, user, password, folders);
    }
    System.out.printf("server: %s, folders %s%n", mode, folders);

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
    ServerSocket proxy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    String serverHost = host;
    int serverPort = port;
    CountingProxy relay = new CountingProxy();
    Thread.ofPlatform().daemon().start(() -> relay.accept(proxy, serverHost, serverPort));

    AccountId id = AccountId.random();
    Thread.ofPlatform().daemon().start(() -> read(kafka, mailTopic, id));
    var sealed = SecretBox.of(keyId, Map.of(keyId, key)).seal(password, id.toString());
    Instant created = Instant.now();
    send(
        kafka,
        accountsTopic,
        new AccountDefined(
            id,
            "bench",
            user,
            user + "@localhost",
            new ImapEndpoint("127.0.0.1", proxy.getLocalPort(), Security.NONE, user),
            sealed,
            created,
            created));

    Process connector =
        new ProcessBuilder(System.getProperty("java.home") + "/bin/java", "-jar", jar)
            .redirectErrorStream(true)
            .redirectOutput(new File(log))
            .start();
    try {
      long t0 = System.nanoTime();
      await(
          "first sync of every folder",
          () -> statuses.keySet().containsAll(folders.keySet()),
          Duration.ofMinutes(20));
      System.out.printf(
          "first sync: %.1f s, %,d bytes from the server%n",
          (System.nanoTime() - t0) / 1e9, relay.down.get());
      Thread.sleep(10_000); // the first sweeps of a session come sooner than the later ones

      // 1. Steady state: nothing changes on the server.
      Map<String, Long> before = relay.snapshot();
      long downBefore = relay.down.get(), upBefore = relay.up.get();
      Thread.sleep(idleSeconds * 1000L);
      double minutes = idleSeconds / 60.0;
      Map<String, Long> during = CountingProxy.minus(relay.snapshot(), before);
      double downPerMinute = (relay.down.get() - downBefore) / minutes;
      double upPerMinute = (relay.up.get() - upBefore) / minutes;
      long total = during.values().stream().mapToLong(Long::longValue).sum();
      System.out.printf(
          "steady state over %d s, per minute per account: %,.0f commands, %,.0f bytes from the server, %,.0f bytes to it%n",
          idleSeconds, total / minutes, downPerMinute, upPerMinute);
      during.forEach(
          (command, count) ->
              System.out.printf("  %-14s %,8.0f / min%n", command, count / minutes));
      long fullScan = fullScanBytes(host, port, user, password, "Archive");
      System.out.printf(
          "reference: one UID FETCH 1:* (UID FLAGS) of Archive (%,d messages) answers %,d bytes (%.1f per message);"
              + " that scan of every folder every 5 s would read %,.0f bytes a minute%n",
          folders.get("Archive"),
          fullScan,
          (double) fullScan / folders.get("Archive"),
          12.0
              * fullScan
              * folders.values().stream().mapToInt(Integer::intValue).sum()
              / folders.get("Archive"));
      System.out.printf(
          "RESULT mode=%s messages=%d commands_per_min=%.0f bytes_down_per_min=%.0f bytes_up_per_min=%.0f%n",
          mode, n, total / minutes, downPerMinute, upPerMinute);

      // 2. Flag changes by another client, at random moments, in Archive and INBOX.
      List<Double> took = new ArrayList<>();
      Random random = new Random(42);
      try (Store client = login(host, port, user, password)) {
        for (int i = 0; i < flagChanges; i++) {
          String mailbox = i % 4 == 3 ? "INBOX" : "Archive";
          Thread.sleep(random.nextInt(5000));
          IMAPFolder folder = (IMAPFolder) client.getFolder(mailbox);
          folder.open(Folder.READ_WRITE);
          var message = folder.getMessage(1 + random.nextInt(folder.getMessageCount()));
          while (message.isSet(Flags.Flag.FLAGGED)) { // a change the server would not report
            message = folder.getMessage(1 + random.nextInt(folder.getMessageCount()));
          }
          long uid = folder.getUID(message);
          Instant changed = Instant.now();
          message.setFlag(Flags.Flag.FLAGGED, true);
          folder.close(false);
          String k = mailbox + "/" + uid;
          await("flag change " + k, () -> flagged.containsKey(k), Duration.ofMinutes(2));
          double s = Duration.between(changed, flagged.get(k)).toMillis() / 1000.0;
          took.add(s);
          System.out.printf("  %-14s flagged, observed after %.2f s%n", k, s);
        }
      }
      took.sort(null);
      System.out.printf(
          "flag changes: %d, until observed min %.2f s, median %.2f s, max %.2f s (goal < 10 s)%n",
          took.size(), took.getFirst(), took.get(took.size() / 2), took.getLast());
      System.out.printf(
          "RESULT mode=%s flag_changes=%d max_s=%.2f median_s=%.2f%n",
          mode, took.size(), took.getLast(), took.get(took.size() / 2));
    } finally {
      connector.destroy();
      connector.waitFor();
      if (greenMail != null) {
        greenMail.stop();
      }
    }
    System.exit(0);
  }

  /** GreenMail's own store takes the messages directly: an APPEND each would take minutes. */
  static void fill(GreenMail greenMail, String user, String password, Map<String, Integer> folders)
      throws Exception {
    GreenMailUser owner = greenMail.setUser(user + "@localhost", user, password);
    try (Store client = login("127.0.0.1", greenMail.getImap().getPort(), user, password)) {
      for (String name : folders.keySet()) {
        if (!name.equals("INBOX")) {
          client.getFolder(name).create(Folder.HOLDS_MESSAGES);
        }
      }
    }
    Date date = new Date();
    for (var entry : folders.entrySet()) {
      MailFolder folder =
          greenMail.getManagers().getImapHostManager().getFolder(owner, entry.getKey());
      for (int i = 0; i < entry.getValue(); i++) {
        MimeMessage m = new MimeMessage((Session) null);
        m.setFrom(new InternetAddress("bulk@example.com"));
        m.setSubject(entry.getKey() + " " + i);
        m.setSentDate(date);
        m.setText("Body of message " + i + ".\n");
        // Most mail is read; some is answered or flagged, as in a real folder.
        Flags flags = new Flags(Flags.Flag.SEEN);
        if (i % 7 == 0) {
          flags.add(Flags.Flag.ANSWERED);
        }
        if (i % 97 == 0) {
          flags.add(Flags.Flag.FLAGGED);
        }
        folder.appendMessage(m, i % 20 == 0 ? new Flags() : flags, date);
      }
    }
  }

  static Store login(String host, int port, String user, String password) throws Exception {
    Store store = Session.getInstance(new Properties()).getStore("imap");
    store.connect(host, port, user, password);
    return store;
  }

  /** The bytes a server answers to one full flag scan of a mailbox, on a connection of its own. */
  static long fullScanBytes(String host, int port, String user, String password, String mailbox)
      throws Exception {
    try (Socket s = new Socket(host, port)) {
      var in =
          new BufferedReader(
              new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
      OutputStream out = s.getOutputStream();
      in.readLine();
      long bytes = 0;
      for (String command :
          List.of(
              "a LOGIN \"" + user + "\" \"" + password + "\"",
              "b EXAMINE " + mailbox,
              "c UID FETCH 1:* (UID FLAGS)",
              "d LOGOUT")) {
        out.write((command + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        String tag = command.substring(0, 2);
        for (String line; (line = in.readLine()) != null; ) {
          if (command.startsWith("c ")) {
            bytes += line.length() + 2;
          }
          if (line.startsWith(tag)) {
            break;
          }
        }
      }
      return bytes;
    }
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
          var type = r.headers().lastHeader(CloudEventHeaders.TYPE);
          String ceType = type == null ? "" : new String(type.value(), StandardCharsets.UTF_8);
          if (!id.toString().equals(r.key())
              || !(ceType.endsWith("status.v1") || ceType.endsWith("flags-changed.v1"))) {
            continue;
          }
          MailroomEvent e = EventCodec.decode(ceType, r.value());
          if (e instanceof MailboxStatus s) {
            statuses.putIfAbsent(s.path().value(), System.nanoTime());
          } else if (e instanceof FlagsChanged f && f.flags().contains("\\Flagged")) {
            flagged.putIfAbsent(f.mailbox().value() + "/" + f.uid().value(), f.observedAt());
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
