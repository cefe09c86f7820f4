import dev.mailroom.events.model.AccountId;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * heap.sh's client, on the connector's classpath (it uses BenchKafka.java's account definition and
 * mail-topic reader, compiled with it by the source launcher): defines an account and waits until
 * the connector has put every message of it on the mail topic, printing progress; fails when the
 * connector process exits (heap.sh runs it with -XX:+ExitOnOutOfMemoryError) or when no message
 * arrives for BENCH_STALL_SECONDS (120).
 *
 * <p>Arguments: kafka accountsTopic mailTopic imapHost imapsPort user messages connectorPid.
 * Secrets from the environment: MAILROOM_CREDENTIALS_KEY_ID, MAILROOM_CREDENTIALS_KEY,
 * BENCH_IMAP_PASSWORD. Prints {@code RESULT heap_sync outcome=... messages=... seconds=...}.
 */
public class Heap {

  public static void main(String[] a) throws Exception {
    String kafka = a[0], accountsTopic = a[1], mailTopic = a[2], host = a[3], user = a[5];
    int port = Integer.parseInt(a[4]);
    int messages = Integer.parseInt(a[6]);
    ProcessHandle connector = ProcessHandle.of(Long.parseLong(a[7])).orElseThrow();
    long stallNs =
        Duration.ofSeconds(
                Long.parseLong(System.getenv().getOrDefault("BENCH_STALL_SECONDS", "120")))
            .toNanos();

    AccountId id = AccountId.random();
    BenchKafka.Seen seen = new BenchKafka.Seen();
    Thread reader =
        Thread.ofPlatform().daemon().start(() -> BenchKafka.read(kafka, mailTopic, id, seen));
    if (!seen.reading.await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("could not read " + mailTopic);
    }
    long start =
        BenchKafka.define(
            kafka,
            accountsTopic,
            id,
            "bench heap",
            user,
            host,
            port,
            Bench.env("MAILROOM_CREDENTIALS_KEY_ID"),
            Bench.env("MAILROOM_CREDENTIALS_KEY"),
            Bench.env("BENCH_IMAP_PASSWORD"));
    int last = 0;
    long lastChange = start, lastPrint = start;
    String outcome = "done";
    while (seen.added < messages) {
      Thread.sleep(200);
      long now = System.nanoTime();
      if (seen.added != last) {
        last = seen.added;
        lastChange = now;
      }
      if (!connector.isAlive()) {
        outcome = "connector-exited";
        break;
      }
      if (now - lastChange > stallNs) {
        outcome = "stalled";
        break;
      }
      if (now - lastPrint >= 10_000_000_000L) {
        System.out.printf(
            "  %5.0f s: %,d of %,d messages on Kafka%n", (now - start) / 1e9, seen.added, messages);
        lastPrint = now;
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "RESULT heap_sync outcome=%s messages=%d of=%d seconds=%.3f%n",
        outcome, seen.added, messages, seconds);
    reader.interrupt();
    System.exit(outcome.equals("done") ? 0 : 2);
  }
}
