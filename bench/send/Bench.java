import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Sending latency through the running stack, per message: accepted - POST /api/accounts/{id}/outbox
 * answered 202 (gateway -> sync-service outbox) dovecot - the message is a file in the recipient's
 * Maildir (relay -> connector -> Postfix -> LMTP) store - the recipient's Mailroom store lists it
 * (recipient's connector session -> sync-service) All three measured from the moment the request
 * was sent. Args: gateway URL, token, sender account id, recipient address, recipient account id,
 * recipient Maildir, sync-service URL, count, rate/s, a service token for sync-service's internal
 * API (ADR 0007: the gateway's client credentials).
 */
public class Bench {

  public static void main(String[] a) throws Exception {
    String gateway = a[0], token = a[1], sender = a[2], to = a[3], recipientAccount = a[4];
    Path maildir = Path.of(a[5]);
    String sync = a[6];
    int count = Integer.parseInt(a[7]);
    double rate = Double.parseDouble(a[8]);
    String serviceToken = a[9];
    String run = "bench-" + System.currentTimeMillis();
    HttpClient http = HttpClient.newHttpClient();
    Map<String, Long> started = new ConcurrentHashMap<>();
    Map<String, Long> accepted = new ConcurrentHashMap<>();
    Map<String, Long> inDovecot = new ConcurrentHashMap<>();
    Map<String, Long> inStore = new ConcurrentHashMap<>();

    Thread maildirWatch =
        Thread.ofPlatform().daemon().start(() -> watchMaildir(maildir, run, inDovecot, count));
    Thread storeWatch =
        Thread.ofPlatform()
            .daemon()
            .start(
                () -> watchStore(http, sync, serviceToken, recipientAccount, run, inStore, count));

    long interval = (long) (1_000_000_000L / rate);
    long next = System.nanoTime();
    for (int i = 0; i < count; i++) {
      String subject = run + "-" + i;
      String body =
          "{\"to\":[\""
              + to
              + "\"],\"subject\":\""
              + subject
              + "\",\"text\":\"Benchmark message "
              + i
              + ".\\n\"}";
      while (System.nanoTime() < next) {
        Thread.onSpinWait();
      }
      next += interval;
      long t0 = System.nanoTime();
      started.put(subject, t0);
      http.sendAsync(
              HttpRequest.newBuilder(URI.create(gateway + "/api/accounts/" + sender + "/outbox"))
                  .header("Authorization", "Bearer " + token)
                  .header("Content-Type", "application/json")
                  .header("Idempotency-Key", subject)
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .thenAccept(
              r -> {
                if (r.statusCode() == 202) {
                  accepted.put(subject, System.nanoTime());
                } else {
                  System.err.println(subject + ": HTTP " + r.statusCode() + " " + r.body());
                }
              });
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
    while ((inStore.size() < count || inDovecot.size() < count) && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    System.out.printf(
        "%d sends at %.1f/s: accepted %d, in the recipient's Dovecot %d, in the recipient's store %d%n",
        count, rate, accepted.size(), inDovecot.size(), inStore.size());
    report("accepted (202)", started, accepted);
    report("in recipient's Dovecot", started, inDovecot);
    report("in recipient's store", started, inStore);
  }

  static void report(String what, Map<String, Long> started, Map<String, Long> done) {
    List<Double> ms = new ArrayList<>();
    done.forEach((k, t) -> ms.add((t - started.get(k)) / 1e6));
    if (ms.isEmpty()) {
      System.out.printf("%-24s none%n", what);
      return;
    }
    double[] v = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    System.out.printf(
        "%-24s p50 %7.0f ms   p99 %7.0f ms   max %7.0f ms%n",
        what, pct(v, 50), pct(v, 99), v[v.length - 1]);
  }

  static double pct(double[] sorted, double p) {
    int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  /** New files in Maildir/new (LMTP delivers there), matched by their Subject header. */
  static void watchMaildir(Path maildir, String run, Map<String, Long> seen, int count) {
    Map<Path, Boolean> read = new HashMap<>();
    Path fresh = maildir.resolve("new");
    while (seen.size() < count) {
      try (Stream<Path> files = Files.list(fresh)) {
        for (Path f : files.toList()) {
          if (read.putIfAbsent(f, true) != null) {
            continue;
          }
          long now = System.nanoTime();
          String head = new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
          int at = head.indexOf("\nSubject: " + run + "-");
          if (at >= 0) {
            int end = head.indexOf('\n', at + 1);
            seen.putIfAbsent(head.substring(at + 10, end).trim(), now);
          }
        }
      } catch (Exception e) {
        // Dovecot may move a file to cur/ while it is listed: read it next round or not at all.
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** The recipient's INBOX as sync-service lists it, newest first. */
  static void watchStore(
      HttpClient http,
      String sync,
      String token,
      String account,
      String run,
      Map<String, Long> seen,
      int count) {
    while (seen.size() < count) {
      try {
        String page =
            http.send(
                    HttpRequest.newBuilder(
                            URI.create(
                                sync
                                    + "/internal/accounts/"
                                    + account
                                    + "/messages?mailbox=INBOX&limit=100"))
                        .header("Authorization", "Bearer " + token)
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body();
        long now = System.nanoTime();
        for (String part : page.split("\"subject\"\\s*:\\s*\"")) {
          if (part.startsWith(run + "-")) {
            seen.putIfAbsent(part.substring(0, part.indexOf('"')), now);
          }
        }
        Thread.sleep(20);
      } catch (Exception e) {
        return;
      }
    }
  }
}
