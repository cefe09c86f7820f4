import dev.mailroom.events.EventCodec;
import dev.mailroom.events.MailroomEvent;
import dev.mailroom.events.cloudevents.CloudEventHeaders;
import dev.mailroom.events.mail.FlagsChanged;
import dev.mailroom.events.mail.MailboxStatus;
import dev.mailroom.events.mail.MessageAdded;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.EmailAddress;
import dev.mailroom.events.model.MailboxPath;
import dev.mailroom.events.model.ModSeq;
import dev.mailroom.events.model.Uid;
import dev.mailroom.events.model.UidValidity;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Feeds a running sync-service from Kafka and measures it: 100,000 "message added" events and then
 * 100,000 flag changes of one account, applied rates (events per second, from the first applied row
 * to the last), then p95 latency of the message-list page and the conversation calls. Run by
 * run.sh, which starts the service on its own topics and database.
 */
public class Bench {
  private static String TOKEN;

  /** The gateway's service token (ADR 0007): sync-service's internal API answers nothing else. */
  static String gatewayToken() throws Exception {
    String realm =
        System.getenv()
            .getOrDefault("QUARKUS_OIDC_AUTH_SERVER_URL", "http://127.0.0.1:19080/realms/mailroom");
    String form =
        "grant_type=client_credentials&client_id=mailroom-gateway&client_secret=mailroom-gateway-dev-secret";
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(realm + "/protocol/openid-connect/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    Matcher m = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(r.body());
    if (!m.find()) {
      throw new IllegalStateException(
          "no gateway token from " + realm + ": HTTP " + r.statusCode());
    }
    return m.group(1);
  }

  static final int N = Integer.getInteger("bench.messages", 100_000);
  static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  public static void main(String[] args) throws Exception {
    String bootstrap = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
    if (args.length > 0 && args[0].equals("topics")) {
      topics(bootstrap, Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    String topic = System.getenv("MAILROOM_TOPIC_MAIL");
    String jdbc = System.getenv("QUARKUS_DATASOURCE_JDBC_URL");
    String http = "http://127.0.0.1:" + System.getenv("QUARKUS_HTTP_PORT");
    TOKEN = gatewayToken();
    AccountId account = AccountId.random();

    try (Connection db = DriverManager.getConnection(jdbc, "mailroom", "mailroom");
        KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
      List<MailroomEvent> added = new ArrayList<>(N);
      for (int uid = N; uid >= 1; uid--) { // newest first, as a first sync sends them
        added.add(message(account, uid));
      }
      added.add(
          new MailboxStatus(
              account,
              MailboxPath.INBOX,
              "/",
              null,
              UidValidity.of(1),
              N + 1L,
              ModSeq.of(N),
              N,
              N,
              T0));
      // Progress is read from the change log (one row per applied change, by trigger): max(seq)
      // is an index lookup, where counting 100,000 rows every poll would steal the CPU measured.
      String where = "from message_location where account_id = '" + account + "'";
      LongSupplier changes = () -> count(db, "select coalesce(max(seq), 0) from change_log");
      long start = changes.getAsLong();
      double addRate =
          run("message.added", producer, topic, added, () -> changes.getAsLong() - start, N);
      check(count(db, "select count(*) " + where), N);

      List<MailroomEvent> flags = new ArrayList<>(N);
      for (int uid = 1; uid <= N; uid++) {
        flags.add(
            new FlagsChanged(
                account,
                MailboxPath.INBOX,
                UidValidity.of(1),
                Uid.of(uid),
                ModSeq.of(N + uid),
                List.of("\\Seen", "$Bench"),
                T0)); // a new set for every message
      }
      long afterAdds = changes.getAsLong();
      double flagRate =
          run(
              "message.flags-changed",
              producer,
              topic,
              flags,
              () -> changes.getAsLong() - afterAdds,
              N);
      check(count(db, "select count(*) " + where + " and modseq > " + N), N);

      List<String> threads = new ArrayList<>();
      try (Statement s = db.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "select distinct thread_id from message where account_id = '"
                      + account
                      + "' limit 2000")) {
        while (rs.next()) {
          threads.add(rs.getString(1));
        }
      }
      HttpClient client = HttpClient.newHttpClient();
      String base = http + "/internal/accounts/" + account;
      double[] pages = pages(client, base);
      Random random = new Random(7);
      double[] conversations =
          timed(
              client,
              600,
              i -> base + "/conversations/" + threads.get(random.nextInt(threads.size())));

      System.out.printf("%n== sync-service benchmark: %,d messages, one account ==%n", N);
      System.out.printf(
          "message.added applied:         %,10.0f events/s   (goal >= 5,000)%n", addRate);
      System.out.printf(
          "message.flags-changed applied: %,10.0f events/s   (goal >= 5,000)%n", flagRate);
      System.out.printf(
          "message list page (50), p95:   %10.1f ms         (goal < 20)  p50 %.1f ms, max %.1f ms%n",
          p(pages, 95), p(pages, 50), p(pages, 100));
      System.out.printf(
          "conversation, p95:             %10.1f ms         (goal < 20)  p50 %.1f ms, max %.1f ms%n",
          p(conversations, 95), p(conversations, 50), p(conversations, 100));
    }
  }

  /**
   * Sends the events, then waits until {@code applied} reaches {@code target}; the rate counts from
   * the first applied row.
   */
  static double run(
      String name,
      KafkaProducer<String, byte[]> producer,
      String topic,
      List<MailroomEvent> events,
      LongSupplier applied,
      long target)
      throws Exception {
    long before = 0;
    long sendStart = System.nanoTime();
    for (MailroomEvent e : events) {
      var record = new ProducerRecord<>(topic, e.accountId().toString(), EventCodec.encode(e));
      CloudEventHeaders.of(e, "bench", T0)
          .forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
      producer.send(record);
    }
    producer.flush();
    double sendSeconds = (System.nanoTime() - sendStart) / 1e9;
    long first = 0;
    while (true) {
      long now = applied.getAsLong();
      if (first == 0 && now > before) {
        first = System.nanoTime();
      }
      if (now >= target) {
        break;
      }
      Thread.sleep(50);
    }
    double applyFromFirst = (System.nanoTime() - first) / 1e9;
    System.out.printf(
        "%s: produced %,d in %.1f s; applied in %.1f s from the first row (%.1f s from the first send)%n",
        name, events.size(), sendSeconds, applyFromFirst, (System.nanoTime() - sendStart) / 1e9);
    return (target - before) / applyFromFirst;
  }

  /** Walks the mailbox page by page (50 a page, newest first) by cursor, timing each call. */
  static double[] pages(HttpClient client, String base) throws Exception {
    Pattern next = Pattern.compile("\"nextCursor\":\"([^\"]+)\"");
    List<Double> times = new ArrayList<>();
    String cursor = null;
    for (int i = 0; i < 700; i++) {
      String url =
          base + "/messages?mailbox=INBOX&limit=50" + (cursor == null ? "" : "&cursor=" + cursor);
      long start = System.nanoTime();
      String body =
          client
              .send(
                  HttpRequest.newBuilder(URI.create(url))
                      .header("Authorization", "Bearer " + TOKEN)
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      if (i >= 100) { // the first 100 warm the JIT and the caches
        times.add((System.nanoTime() - start) / 1e6);
      }
      Matcher m = next.matcher(body);
      cursor = m.find() ? m.group(1) : null;
    }
    return times.stream().mapToDouble(Double::doubleValue).toArray();
  }

  static double[] timed(HttpClient client, int calls, java.util.function.IntFunction<String> url)
      throws Exception {
    double[] times = new double[calls - 100];
    for (int i = 0; i < calls; i++) {
      long start = System.nanoTime();
      var response =
          client.send(
              HttpRequest.newBuilder(URI.create(url.apply(i)))
                  .header("Authorization", "Bearer " + TOKEN)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
      }
      if (i >= 100) {
        times[i - 100] = (System.nanoTime() - start) / 1e6;
      }
    }
    return times;
  }

  static double p(double[] values, int percentile) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  /** Threads of five: the first message of each starts it, the others reply to it. */
  static MessageAdded message(AccountId account, int uid) {
    int root = uid - (uid - 1) % 5;
    String messageId = "<" + uid + "@bench.example>";
    List<String> references = uid == root ? List.of() : List.of("<" + root + "@bench.example>");
    return new MessageAdded(
        account,
        MailboxPath.INBOX,
        UidValidity.of(1),
        Uid.of(uid),
        ModSeq.of(uid),
        "mid:" + String.format("%064x", uid),
        messageId,
        (uid == root ? "" : "Re: ") + "Topic " + root,
        List.of(new EmailAddress("Sender " + uid % 97, "s" + uid % 97 + "@example.com")),
        List.of(new EmailAddress(null, "me@example.com")),
        List.of(),
        T0.plusSeconds(uid * 60L),
        T0.plusSeconds(uid * 60L),
        4000 + uid % 1000,
        uid % 2 == 0 ? List.of("\\Seen") : List.of(),
        references.isEmpty() ? null : references.getFirst(),
        references,
        "A short snippet of message " + uid,
        "Body of message " + uid + ". ".repeat(20),
        null,
        List.of());
  }

  static KafkaProducer<String, byte[]> producer(String bootstrap) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("acks", "all");
    p.put("linger.ms", "20");
    p.put("batch.size", "262144");
    p.put("compression.type", "lz4");
    p.put("key.serializer", StringSerializer.class.getName());
    p.put("value.serializer", ByteArraySerializer.class.getName());
    return new KafkaProducer<>(p);
  }

  static void check(long actual, long expected) {
    if (actual != expected) {
      throw new IllegalStateException("expected " + expected + " rows, found " + actual);
    }
  }

  static long count(Connection db, String sql) {
    try (Statement s = db.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Creates the topics run.sh names (one partition each: one account lives on one anyway). */
  static void topics(String bootstrap, String... names) throws Exception {
    try (Admin admin = Admin.create(java.util.Map.of("bootstrap.servers", bootstrap))) {
      admin
          .createTopics(Arrays.stream(names).map(n -> new NewTopic(n, 1, (short) 1)).toList())
          .all()
          .get();
    }
  }
}
