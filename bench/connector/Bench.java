import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailroom.events.EventCodec;
import dev.mailroom.events.EventType;
import dev.mailroom.events.MailroomEvent;
import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.events.account.ImapEndpoint;
import dev.mailroom.events.account.Security;
import dev.mailroom.events.cloudevents.CloudEventHeaders;
import dev.mailroom.events.crypto.SecretBox;
import dev.mailroom.events.mail.FlagsChanged;
import dev.mailroom.events.mail.MailboxStatus;
import dev.mailroom.events.model.AccountId;
import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.angus.mail.imap.IMAPFolder;

/**
 * The bench client, run by run.sh on the connector's classpath plus the PostgreSQL driver.
 *
 * <p>{@code topics kafka name:partitions...} creates the run's topics before either service starts;
 * {@code delete-topics kafka name...} removes them at the end.
 *
 * <p>Otherwise it defines an account on the connector's accounts topic and times the first sync
 * from there until (a) every mailbox's status is on the mail topic and (b) every message of the
 * account (all its mailboxes) is queryable in sync-service (the stored count of its mailboxes
 * endpoint); then it times flag changes made by another IMAP client until (a) their event is on the
 * mail topic and (b) the store (sync-service's PostgreSQL) has the flag. Prints its figures and
 * RESULT lines.
 *
 * <p>Arguments: kafka accountsTopic mailTopic imapHost imapsPort user messages flagChanges
 * syncServiceUrl jdbcUrl mailbox... Secrets come from the environment, never the command line:
 * MAILROOM_CREDENTIALS_KEY_ID, MAILROOM_CREDENTIALS_KEY, BENCH_IMAP_PASSWORD, PGUSER, PGPASSWORD.
 */
public class Bench {
  private static String token;

  /** One token per run: it lasts 15 minutes, longer than any measured phase. */
  static synchronized String token() throws Exception {
    if (token == null) {
      token = gatewayToken();
    }
    return token;
  }

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

  /** How often the stored counts are polled at the end of a first sync (see the loop). */
  private static final long STORED_POLL_MS = 50;

  private static final long ROUND_PAUSE_MS = 3000;

  private static final long TAIL_POLL_MS = 5;

  /** How often PostgreSQL is asked whether a flag change is stored. */
  private static final long FLAG_POLL_MS = 2;

  private static final long FLAG_TIMEOUT_NS = 5_000_000_000L;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  public static void main(String[] a) throws Exception {
    switch (a[0]) {
      case "topics" -> createTopics(a[1], List.of(a).subList(2, a.length));
      case "delete-topics" -> deleteTopics(a[1], List.of(a).subList(2, a.length));
      default -> bench(a);
    }
  }

  /**
   * A connector and a sync-service in production have run for a while when a user adds a mailbox:
   * their JVMs have compiled the sync path. This first syncs another account of
   * BENCH_WARMUP_MESSAGES messages through both, and prints that time too: it is the figure for
   * freshly started services.
   */
  private static AccountId warmUp(
      String kafka,
      String accountsTopic,
      String host,
      int port,
      String syncUrl,
      String keyId,
      String key,
      String password,
      int round)
      throws Exception {
    String user = System.getenv("BENCH_WARMUP_USER");
    int messages = Integer.parseInt(System.getenv().getOrDefault("BENCH_WARMUP_MESSAGES", "0"));
    if (user == null || messages <= 0) {
      System.out.println("no warm-up: the first sync below runs on freshly started services");
      return null;
    }
    AccountId id = AccountId.random();
    URI mailboxesUri = URI.create(syncUrl + "/internal/accounts/" + id + "/mailboxes");
    long start =
        define(kafka, accountsTopic, id, "bench warm-up", user, host, port, keyId, key, password);
    long deadline = start + Duration.ofMinutes(10).toNanos();
    long stored = 0;
    while (stored < messages) {
      Thread.sleep(10 * STORED_POLL_MS); // not timed closely: the warm-up only warms
      stored = total(storedCounts(mailboxesUri));
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "warm-up: " + stored + " of " + messages + " messages queryable after 10 minutes");
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    if (round == 1) {
      System.out.printf(
          "warm-up on freshly started services: %d messages of another account queryable in %.2f s (%.0f msg/s)%n",
          messages, seconds, messages / seconds);
      System.out.printf("RESULT warmup messages=%d queryable_seconds=%.3f%n", messages, seconds);
    } else {
      System.out.printf(
          "warm-up round %d: the same %d messages as another account, queryable in %.2f s (%.0f msg/s)%n",
          round, messages, seconds, messages / seconds);
    }
    return id;
  }

  private static void bench(String[] a) throws Exception {
    String kafka = a[0], accountsTopic = a[1], mailTopic = a[2];
    String host = a[3];
    int port = Integer.parseInt(a[4]);
    String user = a[5];
    int messages = Integer.parseInt(a[6]);
    int changes = Integer.parseInt(a[7]);
    String syncUrl = a[8], jdbcUrl = a[9];
    storeUrl = jdbcUrl;
    List<String> flagMailboxes = List.of(a).subList(10, a.length);
    String keyId = env("MAILROOM_CREDENTIALS_KEY_ID"), key = env("MAILROOM_CREDENTIALS_KEY");
    String password = env("BENCH_IMAP_PASSWORD");

    // Services in production have synced many accounts, not one: each round is another account
    // (the same Dovecot user), so the JIT has also seen a session start after another's sync.
    int rounds = Integer.parseInt(System.getenv().getOrDefault("BENCH_WARMUP_ROUNDS", "1"));
    // Each warm-up account holds two connections to the warm-up user, and Dovecot allows ten per
    // user and address: all but the last two are removed after their round, so any number of
    // rounds fit, and the store holds the same two accounts' mail whatever the number.
    List<AccountId> warm = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      AccountId id = warmUp(kafka, accountsTopic, host, port, syncUrl, keyId, key, password, round);
      if (id != null) {
        warm.add(id);
      }
      if (warm.size() > 2) {
        removeAccount(kafka, accountsTopic, warm.removeFirst(), syncUrl);
      }
    }

    // Like mbsync's three pulls, the first sync is timed for BENCH_ROUNDS accounts on the same
    // Dovecot user, one after the other, each a new account to the services; the fastest is the
    // figure set against mbsync's fastest, and every round is printed.
    int measuredRounds = Integer.parseInt(System.getenv().getOrDefault("BENCH_ROUNDS", "1"));
    FirstSync last = null;
    FirstSync fastest = null;
    List<Double> queryable = new ArrayList<>();
    List<AccountId> earlier = new ArrayList<>();
    for (int round = 1; round <= measuredRounds; round++) {
      if (last != null) {
        last.reader().interrupt();
        earlier.add(last.id());
      }
      // The account before (a warm-up's, or the last round's) opens its push connection once its
      // first sync is done, and removed accounts' sessions close: a new account in production
      // rarely arrives in the same second as another's end, so each round starts after a pause.
      // The store is vacuumed and analysed in it: an autovacuum of the rows the rounds before
      // inserted (or the removed warm-up accounts left dead) would otherwise start during some
      // rounds and not others.
      Thread.sleep(ROUND_PAUSE_MS);
      vacuumStore("vacuum analyze");
      last =
          firstSync(
              kafka,
              accountsTopic,
              mailTopic,
              host,
              port,
              user,
              messages,
              syncUrl,
              keyId,
              key,
              password);
      System.out.printf("round %d of %d:%n", round, measuredRounds);
      last.print(messages);
      queryable.add(last.querySeconds());
      if (fastest == null || last.querySeconds() < fastest.querySeconds()) {
        fastest = last;
      }
    }
    Collections.sort(queryable);
    System.out.printf(
        "RESULT connector_first_sync kafka_seconds=%.3f queryable_seconds=%.3f messages=%d kafka_messages=%d"
            + " median_queryable_seconds=%.3f rounds=%d%n",
        fastest.kafkaSeconds(),
        fastest.querySeconds(),
        fastest.stored(),
        fastest.seen().added,
        queryable.get((queryable.size() - 1) / 2),
        measuredRounds);
    // The earlier rounds' accounts watch the same Dovecot user: each flag change below would
    // wake a session per round instead of one. They are removed (a tombstone) before the changes.
    for (AccountId gone : earlier) {
      removeAccount(kafka, accountsTopic, gone, syncUrl);
    }
    AccountId id = last.id();
    Kafka seen = last.seen();
    URI mailboxesUri = last.mailboxesUri();
    Thread reader = last.reader();

    Thread.sleep(1500); // the push connection is set up after the first sync
    Properties props = new Properties();
    props.put("mail.imaps.ssl.trust", "*");
    String pgUser = System.getenv().getOrDefault("PGUSER", "mailroom");
    try (Store store = Session.getInstance(props).getStore("imaps");
        Connection db = DriverManager.getConnection(jdbcUrl, pgUser, env("PGPASSWORD"));
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
        awaitStored(mailboxesUri, mailbox, all.length);
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
        System.out.printf(
            "RESULT flags_%s store_p50_ms=%d store_p99_ms=%d store_max_ms=%d store_n=%d missed=%d"
                + " kafka_p50_ms=%d kafka_p99_ms=%d%n",
            mailbox,
            p(inStore, 0.50),
            p(inStore, 0.99),
            p(inStore, 1.0),
            inStore.size(),
            missed,
            p(onKafka, 0.50),
            p(onKafka, 0.99));
      }
    }
    reader.interrupt();
    System.exit(0);
  }

  /** One measured first sync: an account defined, timed until on Kafka and queryable. */
  private record FirstSync(
      AccountId id,
      Kafka seen,
      Thread reader,
      URI mailboxesUri,
      long stored,
      double kafkaSeconds,
      double querySeconds,
      double firstAddedSeconds,
      double firstStoredSeconds,
      double lastAddedSeconds,
      Map<String, Double> cpu) {

    void print(int messages) {
      cpu.forEach(
          (name, seconds) ->
              System.out.printf(
                  "CPU until queryable: %s %.2f s (%.2f s per 10,000 messages)%n",
                  name, seconds, seconds * 10_000 / stored));
      System.out.printf(
          "connector: %d messages on Kafka in %.2f s (%.0f msg/s, from account defined to the last mailbox"
              + " status)%n",
          seen.added, kafkaSeconds, seen.added / kafkaSeconds);
      System.out.printf(
          "connector + sync-service: %d messages queryable in %.2f s (%.0f msg/s, from account defined"
              + " to the stored counts of all mailboxes in sync-service summing to %d, polled every %d ms,"
              + " every %d ms or more once all were on Kafka)%n",
          stored, querySeconds, stored / querySeconds, messages, STORED_POLL_MS, TAIL_POLL_MS);
      System.out.printf(
          "  timeline (s from account defined): first message on Kafka %.2f, queryable %.2f;"
              + " last message on Kafka %.2f, last mailbox status on Kafka %.2f, all queryable %.2f (%.2f s after it)%n",
          firstAddedSeconds,
          firstStoredSeconds,
          lastAddedSeconds,
          kafkaSeconds,
          querySeconds,
          querySeconds - kafkaSeconds);
      if (seen.added < messages) {
        System.out.printf("WARNING: expected %d messages on Kafka, saw %d%n", messages, seen.added);
      }
    }
  }

  private static FirstSync firstSync(
      String kafka,
      String accountsTopic,
      String mailTopic,
      String host,
      int port,
      String user,
      int messages,
      String syncUrl,
      String keyId,
      String key,
      String password)
      throws Exception {
    AccountId id = AccountId.random();
    Kafka seen = new Kafka();
    Thread reader = Thread.ofPlatform().daemon().start(() -> read(kafka, mailTopic, id, seen));
    if (!seen.reading.await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("could not read " + mailTopic);
    }

    URI mailboxesUri = URI.create(syncUrl + "/internal/accounts/" + id + "/mailboxes");
    apiCounts(mailboxesUri); // the HTTP client is set up before the clock starts
    storedCounts(mailboxesUri); // and the store's connection
    Map<String, Double> cpuBefore = cpuSeconds();
    long start = define(kafka, accountsTopic, id, "bench", user, host, port, keyId, key, password);

    // First sync: poll the stored counts until every message of every mailbox is queryable.
    long deadline = start + Math.max(Duration.ofMinutes(5).toNanos(), messages * 10_000_000L);
    long firstStoredAt = 0, queryableAt = 0, stored = 0, askedAt = 0, queryNanos = 0;
    java.util.Set<String> mailboxes = java.util.Set.of();
    while (queryableAt == 0) {
      // Once every message is on Kafka, the end is near: asked again as soon as the last count
      // came back (at least 5 ms apart), so the time until queryable is not rounded up to 50 ms.
      Thread.sleep(
          seen.added < messages
              ? STORED_POLL_MS
              : Math.max(TAIL_POLL_MS, TimeUnit.NANOSECONDS.toMillis(queryNanos)));
      // The stored counts are a count over the account's locations, which grows with the
      // account: asked every 50 ms through a 100,000-message sync, they were most of
      // PostgreSQL's CPU. Asked at every poll until the first message is stored and once every
      // message is on Kafka (the store cannot be done before), once a second in between.
      long polled = System.nanoTime();
      if (firstStoredAt != 0 && seen.added < messages && polled - askedAt < 1_000_000_000L) {
        continue;
      }
      askedAt = polled;
      Map<String, Long> counts = storedCounts(mailboxesUri);
      stored = total(counts);
      long now = System.nanoTime();
      queryNanos = now - polled;
      if (stored > 0 && firstStoredAt == 0) {
        firstStoredAt = now;
      }
      if (stored >= messages) {
        queryableAt = now;
      } else if (now > deadline) {
        throw new IllegalStateException(
            String.format(
                "first sync: %d of %d messages queryable after %.0f s (%d on Kafka, statuses of %s)",
                stored, messages, (now - start) / 1e9, seen.added, seen.statusAt.keySet()));
      }
      mailboxes = counts.keySet();
    }
    Map<String, Double> cpu = cpuSeconds();
    cpu.replaceAll((name, seconds) -> seconds - cpuBefore.get(name));
    long listed = total(apiCounts(mailboxesUri));
    if (listed != stored) {
      throw new IllegalStateException(
          "the store holds " + stored + " messages, sync-service's API lists " + listed);
    }
    // sync-service cannot be ahead of a mailbox's status by more than a poll.
    while (!seen.statusAt.keySet().containsAll(mailboxes) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    long lastStatusAt =
        mailboxes.stream().mapToLong(m -> seen.statusAt.getOrDefault(m, 0L)).max().orElse(0);
    double kafkaSeconds =
        !seen.statusAt.keySet().containsAll(mailboxes) ? -1 : (lastStatusAt - start) / 1e9;
    double firstAddedSeconds = (seen.firstAddedAt - start) / 1e9;
    double lastAddedSeconds = (seen.lastAddedAt - start) / 1e9;
    double firstStoredSeconds = (firstStoredAt - start) / 1e9;
    double querySeconds = (queryableAt - start) / 1e9;
    return new FirstSync(
        id,
        seen,
        reader,
        mailboxesUri,
        stored,
        kafkaSeconds,
        querySeconds,
        firstAddedSeconds,
        firstStoredSeconds,
        lastAddedSeconds,
        cpu);
  }

  /**
   * CPU seconds (user + system) used so far by each process of BENCH_CPU_PIDS ("name:pid,...",
   * where "name:comm=postgres" sums every process of that command name, as PostgreSQL's backends
   * and Dovecot's imap processes are), from /proc/PID/stat: on a machine shared with other work,
   * CPU per message compares runs where wall-clock time does not.
   */
  private static Map<String, Double> cpuSeconds() throws java.io.IOException {
    Map<String, Double> cpu = new java.util.LinkedHashMap<>();
    String pids = System.getenv().getOrDefault("BENCH_CPU_PIDS", "");
    for (String entry : pids.split(",")) {
      if (entry.isBlank()) {
        continue;
      }
      String[] nameAndPid = entry.split(":");
      long ticks = 0;
      if (nameAndPid[1].startsWith("comm=")) {
        String comm = nameAndPid[1].substring(5);
        try (var procs = java.nio.file.Files.list(java.nio.file.Path.of("/proc"))) {
          for (var proc : procs.filter(d -> d.getFileName().toString().matches("\\d+")).toList()) {
            try {
              String stat = java.nio.file.Files.readString(proc.resolve("stat"));
              if (stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).equals(comm)) {
                ticks += ticks(stat);
              }
            } catch (java.io.IOException gone) {
              // the process ended between the listing and the read
            }
          }
        }
      } else {
        ticks =
            ticks(
                java.nio.file.Files.readString(
                    java.nio.file.Path.of("/proc", nameAndPid[1], "stat")));
      }
      cpu.put(nameAndPid[0], ticks / 100.0);
    }
    return cpu;
  }

  /** utime + stime of a /proc/PID/stat line, in clock ticks. */
  private static long ticks(String stat) {
    // After the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  /** The nearest-rank percentile of sorted values, -1 when there are none. */
  private static long p(List<Long> sorted, double q) {
    if (sorted.isEmpty()) {
      return -1;
    }
    return sorted.get(
        Math.max(0, Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * q) - 1)));
  }

  /**
   * Puts a new account on the accounts topic, its password sealed for it.
   *
   * @return {@link System#nanoTime} just before the send: the producer's metadata is fetched first
   */
  static long define(
      String kafka,
      String accountsTopic,
      AccountId id,
      String name,
      String user,
      String host,
      int port,
      String keyId,
      String key,
      String password)
      throws Exception {
    var sealed = SecretBox.of(keyId, Map.of(keyId, key)).seal(password, id.toString());
    Instant created = Instant.now(); // the first and only version of this account
    var account =
        new AccountDefined(
            id,
            name,
            user,
            user + "@localhost",
            new ImapEndpoint(host, port, Security.TLS, user),
            sealed,
            created,
            created);
    try (KafkaProducer<String, byte[]> producer = producer(kafka)) {
      producer.partitionsFor(accountsTopic);
      long start = System.nanoTime();
      send(producer, accountsTopic, account);
      return start;
    }
  }

  /**
   * A tombstone on the accounts topic; returns once sync-service lists no mailbox of the account.
   */
  private static void removeAccount(
      String kafka, String accountsTopic, AccountId id, String syncUrl) throws Exception {
    try (KafkaProducer<String, byte[]> producer = producer(kafka)) {
      producer.send(new ProducerRecord<>(accountsTopic, id.toString(), null)).get();
    }
    URI uri = URI.create(syncUrl + "/internal/accounts/" + id + "/mailboxes");
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (!storedCounts(uri).isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "account " + id + " still known to sync-service 2 minutes after its tombstone");
      }
      Thread.sleep(STORED_POLL_MS);
    }
  }

  /** The bench's one connection to sync-service's store, opened on first use. */
  private static synchronized Connection store() throws Exception {
    if (storeConnection == null) {
      storeConnection =
          DriverManager.getConnection(
              storeUrl, System.getenv().getOrDefault("PGUSER", "mailroom"), env("PGPASSWORD"));
    }
    return storeConnection;
  }

  /** A VACUUM of the bench's database (sync-service's store), on the bench's connection. */
  private static void vacuumStore(String command) throws Exception {
    long start = System.nanoTime();
    synchronized (Bench.class) {
      try (var statement = store().createStatement()) {
        statement.execute(command);
      }
    }
    System.out.printf("store: %s in %.2f s%n", command, (System.nanoTime() - start) / 1e9);
  }

  /**
   * The stored counts of the account in the URI, by mailbox: the query of sync-service's {@code
   * StoredCounts} (what {@code GET /internal/accounts/{id}/mailboxes} lists as {@code stored}), run
   * over JDBC. Asking sync-service itself every poll cost it more CPU than the sync it measured
   * (token verification, Hibernate): 13% of its samples went to that endpoint in a 10,000 first
   * sync. {@link #apiCounts} asks the API once the store says every message is there.
   */
  private static Map<String, Long> storedCounts(URI uri) throws Exception {
    String path = uri.getPath();
    String account = path.substring("/internal/accounts/".length(), path.lastIndexOf('/'));
    synchronized (Bench.class) {
      if (storedQuery == null) {
        storedQuery =
            store()
                .prepareStatement(
                    """
                select l.mailbox, count(*) from message_location l
                join mailbox m on m.account_id = l.account_id and m.path = l.mailbox
                               and m.uid_validity = l.uid_validity
                where l.account_id = ? group by l.mailbox""");
      }
      storedQuery.setObject(1, UUID.fromString(account));
      Map<String, Long> counts = new HashMap<>();
      try (ResultSet rs = storedQuery.executeQuery()) {
        while (rs.next()) {
          counts.put(rs.getString(1), rs.getLong(2));
        }
      }
      return counts;
    }
  }

  private static String storeUrl;
  private static Connection storeConnection;
  private static PreparedStatement storedQuery;

  /** The stored counts as sync-service's API lists them. */
  private static Map<String, Long> apiCounts(URI uri) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token()).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "GET " + uri + ": HTTP " + response.statusCode() + " " + response.body());
    }
    Map<String, Long> counts = new HashMap<>();
    for (JsonNode box : JSON.readTree(response.body())) {
      counts.put(box.path("path").asText(), box.path("stored").asLong());
    }
    return counts;
  }

  static long total(Map<String, Long> counts) {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Waits until the store holds the mailbox's messages, so a flag change finds its location. */
  private static void awaitStored(URI uri, String mailbox, int count) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    long stored;
    while ((stored = storedCounts(uri).getOrDefault(mailbox, 0L)) < count) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            mailbox + ": " + stored + " of " + count + " messages stored after 2 minutes");
      }
      Thread.sleep(STORED_POLL_MS);
    }
  }

  static String env(String name) {
    String value = System.getenv(name);
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("set " + name);
    }
    return value;
  }

  /** What the mail topic has shown of the account, as System.nanoTime() of arrival. */
  static final class Kafka {
    volatile int added;
    volatile long firstAddedAt;
    volatile long lastAddedAt;

    /** The first status of each mailbox: published once every message of it was acknowledged. */
    final Map<String, Long> statusAt = new ConcurrentHashMap<>();

    final Map<String, Long> flagged = new ConcurrentHashMap<>();
    final CountDownLatch reading = new CountDownLatch(1);
  }

  static void read(String kafka, String topic, AccountId id, Kafka seen) {
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka);
    p.put("key.deserializer", StringDeserializer.class.getName());
    p.put("value.deserializer", ByteArrayDeserializer.class.getName());
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p)) {
      // Every partition assigned directly: no group join to delay the first arrivals.
      var partitions =
          consumer.partitionsFor(topic).stream()
              .map(i -> new TopicPartition(i.topic(), i.partition()))
              .toList();
      consumer.assign(partitions);
      // From the end: the measured account is defined after this, and reading the warm-up
      // accounts' events (hundreds of MB) would take CPU from the services being measured.
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position); // resolved now, before the account is defined
      while (!Thread.currentThread().isInterrupted()) {
        var records = consumer.poll(Duration.ofMillis(50));
        seen.reading.countDown();
        for (ConsumerRecord<String, byte[]> r : records) {
          if (!id.toString().equals(r.key())) {
            continue;
          }
          long now = System.nanoTime();
          String type =
              new String(
                  r.headers().lastHeader(CloudEventHeaders.TYPE).value(), StandardCharsets.UTF_8);
          if (type.equals(EventType.MESSAGE_ADDED.ceType())) {
            // Told by its type alone: decoding 10,000 events of ~6 KB here took CPU from the
            // services being measured, on the same cores.
            if (seen.added == 0) {
              seen.firstAddedAt = now;
            }
            seen.added++;
            seen.lastAddedAt = now;
            continue;
          }
          MailroomEvent e = EventCodec.decode(type, r.value());
          if (e instanceof MailboxStatus s) {
            seen.statusAt.putIfAbsent(s.path().value(), now);
          } else if (e instanceof FlagsChanged f && f.flags().contains("\\Flagged")) {
            seen.flagged.putIfAbsent(f.mailbox().value() + "/" + f.uid().value(), now);
          }
        }
      }
    } catch (org.apache.kafka.common.errors.InterruptException done) {
      // the bench is over
    }
  }

  private static KafkaProducer<String, byte[]> producer(String kafka) {
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka);
    p.put("key.serializer", StringSerializer.class.getName());
    p.put("value.serializer", ByteArraySerializer.class.getName());
    return new KafkaProducer<>(p);
  }

  private static void send(
      KafkaProducer<String, byte[]> producer, String topic, MailroomEvent event) throws Exception {
    var record =
        new ProducerRecord<>(topic, event.accountId().toString(), EventCodec.encode(event));
    CloudEventHeaders.of(event, "bench", Instant.now())
        .forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
    producer.send(record).get();
  }

  /** Creates each {@code name:partitions} topic; one that exists already must have that count. */
  private static void createTopics(String kafka, List<String> specs) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka))) {
      for (String spec : specs) {
        String name = spec.substring(0, spec.lastIndexOf(':'));
        int partitions = Integer.parseInt(spec.substring(spec.lastIndexOf(':') + 1));
        try {
          admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
          int actual =
              admin
                  .describeTopics(List.of(name))
                  .allTopicNames()
                  .get()
                  .get(name)
                  .partitions()
                  .size();
          if (actual != partitions) {
            throw new IllegalStateException(
                name + " exists with " + actual + " partitions, not " + partitions);
          }
        }
      }
    }
  }

  private static void deleteTopics(String kafka, List<String> names) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka))) {
      for (String name : names) {
        try {
          admin.deleteTopics(List.of(name)).all().get();
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
            throw e;
          }
        }
      }
    }
  }
}
