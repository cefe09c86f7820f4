import dev.mailroom.events.model.AccountId;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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
 *
 * <p>Its parts, compiled with it by the source launcher: BenchKafka.java (the topics, accounts and
 * the mail topic), BenchStore.java (sync-service's store) and BenchFlags.java (the flag changes).
 */
public class Bench {
  /** How often the stored counts are polled at the end of a first sync (see the loop). */
  static final long STORED_POLL_MS = 50;

  private static final long ROUND_PAUSE_MS = 3000;

  private static final long TAIL_POLL_MS = 5;

  public static void main(String[] a) throws Exception {
    switch (a[0]) {
      case "topics" -> BenchKafka.createTopics(a[1], List.of(a).subList(2, a.length));
      case "delete-topics" -> BenchKafka.deleteTopics(a[1], List.of(a).subList(2, a.length));
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
        BenchKafka.define(
            kafka, accountsTopic, id, "bench warm-up", user, host, port, keyId, key, password);
    long deadline = start + Duration.ofMinutes(10).toNanos();
    long stored = 0;
    while (stored < messages) {
      Thread.sleep(10 * STORED_POLL_MS); // not timed closely: the warm-up only warms
      stored = BenchStore.total(BenchStore.storedCounts(mailboxesUri));
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
    BenchStore.storeUrl = jdbcUrl;
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
        BenchKafka.removeAccount(kafka, accountsTopic, warm.removeFirst(), syncUrl);
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
      BenchStore.vacuumStore("vacuum analyze");
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
      BenchKafka.removeAccount(kafka, accountsTopic, gone, syncUrl);
    }

    Thread.sleep(1500); // the push connection is set up after the first sync
    BenchFlags.run(
        host,
        port,
        user,
        password,
        jdbcUrl,
        flagMailboxes,
        changes,
        last.id(),
        last.seen(),
        last.mailboxesUri());
    last.reader().interrupt();
    System.exit(0);
  }

  /** One measured first sync: an account defined, timed until on Kafka and queryable. */
  private record FirstSync(
      AccountId id,
      BenchKafka.Seen seen,
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
    BenchKafka.Seen seen = new BenchKafka.Seen();
    Thread reader =
        Thread.ofPlatform().daemon().start(() -> BenchKafka.read(kafka, mailTopic, id, seen));
    if (!seen.reading.await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("could not read " + mailTopic);
    }

    URI mailboxesUri = URI.create(syncUrl + "/internal/accounts/" + id + "/mailboxes");
    BenchStore.apiCounts(mailboxesUri); // the HTTP client is set up before the clock starts
    BenchStore.storedCounts(mailboxesUri); // and the store's connection
    Map<String, Double> cpuBefore = cpuSeconds();
    long start =
        BenchKafka.define(
            kafka, accountsTopic, id, "bench", user, host, port, keyId, key, password);

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
      Map<String, Long> counts = BenchStore.storedCounts(mailboxesUri);
      stored = BenchStore.total(counts);
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
    long listed = BenchStore.total(BenchStore.apiCounts(mailboxesUri));
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

  static String env(String name) {
    String value = System.getenv(name);
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("set " + name);
    }
    return value;
  }
}
