import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Server change -> event on an open GET /api/events stream. Another IMAP client (this program, over
 * implicit TLS) sets and clears \Flagged on messages of INBOX; each change is timed from the
 * server's tagged OK of its UID STORE (the change is committed on the server) to the arrival of the
 * message.changed event for that UID on the stream. JDK only: run with `java EventLatency.java`.
 *
 * <p>args: gatewayUrl token accountId imapHost imapsPort caPem user password changes
 */
public class EventLatency {

  private static final Pattern UID = Pattern.compile("\"uid\":(\\d+)");
  private static final Pattern ACCOUNT = Pattern.compile("\"accountId\":\"([^\"]+)\"");

  public static void main(String[] args) throws Exception {
    String gateway = args[0], token = args[1], account = args[2], host = args[3];
    int port = Integer.parseInt(args[4]);
    Path ca = Path.of(args[5]);
    String user = args[6], password = args[7];
    int changes = Integer.parseInt(args[8]);

    Map<Long, Long> arrived = new ConcurrentHashMap<>();
    Map<Long, CountDownLatch> waiting = new ConcurrentHashMap<>();
    CountDownLatch ready = new CountDownLatch(1);
    HttpResponse<InputStream> stream =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(gateway + "/api/events"))
                    .header("Authorization", "Bearer " + token)
                    .header("Accept", "text/event-stream")
                    .build(),
                HttpResponse.BodyHandlers.ofInputStream());
    if (stream.statusCode() != 200) {
      throw new IllegalStateException("GET /api/events answered " + stream.statusCode());
    }
    Thread reader =
        Thread.ofPlatform()
            .daemon()
            .start(
                () -> {
                  try (BufferedReader in =
                      new BufferedReader(
                          new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                    String name = null;
                    String line;
                    while ((line = in.readLine()) != null) {
                      if (line.startsWith("event:")) {
                        name = line.substring(6).trim();
                      } else if (line.startsWith("data:")) {
                        String data = line.substring(5);
                        if ("ready".equals(name)) {
                          ready.countDown();
                        }
                        Matcher a = ACCOUNT.matcher(data);
                        Matcher u = UID.matcher(data);
                        if ("message.changed".equals(name)
                            && a.find()
                            && a.group(1).equals(account)
                            && u.find()) {
                          long uid = Long.parseLong(u.group(1));
                          long now = System.nanoTime();
                          CountDownLatch latch = waiting.remove(uid);
                          if (latch != null) {
                            arrived.put(uid, now);
                            latch.countDown();
                          }
                        }
                      } else if (line.isEmpty()) {
                        name = null;
                      }
                    }
                  } catch (Exception e) {
                    // stream closed
                  }
                });
    if (!ready.await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("no ready event within 30 s");
    }

    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream pem = Files.newInputStream(ca)) {
      trust.setCertificateEntry(
          "ca", CertificateFactory.getInstance("X.509").generateCertificate(pem));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, tmf.getTrustManagers(), null);
    List<Double> millis = new ArrayList<>();
    int lost = 0;
    try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(host, port)) {
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      OutputStream out = socket.getOutputStream();
      in.readLine(); // greeting
      command(in, out, "a LOGIN \"" + user + "\" \"" + password + "\"");
      command(in, out, "b SELECT INBOX");
      for (int i = 0; i < changes; i++) {
        long uid = 1 + (i % 20);
        boolean set = (i / 20) % 2 == 0;
        CountDownLatch latch = new CountDownLatch(1);
        waiting.put(uid, latch);
        command(
            in,
            out,
            "c" + i + " UID STORE " + uid + (set ? " +" : " -") + "FLAGS.SILENT (\\Flagged)");
        long committed = System.nanoTime();
        if (latch.await(20, TimeUnit.SECONDS)) {
          millis.add((arrived.get(uid) - committed) / 1e6);
        } else {
          waiting.remove(uid);
          lost++;
        }
        Thread.sleep(100); // one change at a time: each is timed alone
      }
      command(in, out, "z LOGOUT");
    }
    stream.body().close();
    Collections.sort(millis);
    System.out.printf(
        "changes: %d, events received: %d, missing after 20 s: %d%n", changes, millis.size(), lost);
    if (!millis.isEmpty()) {
      System.out.printf(
          "server change -> event on the stream: p50 %.0f ms, p90 %.0f ms, p99 %.0f ms, max %.0f ms%n",
          pct(millis, 50), pct(millis, 90), pct(millis, 99), millis.getLast());
    }
  }

  private static double pct(List<Double> sorted, int p) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }

  private static void command(BufferedReader in, OutputStream out, String line) throws Exception {
    String tag = line.substring(0, line.indexOf(' '));
    out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
    String reply;
    while ((reply = in.readLine()) != null) {
      if (reply.startsWith(tag + " ")) {
        if (!reply.startsWith(tag + " OK")) {
          throw new IllegalStateException(reply);
        }
        return;
      }
    }
    throw new IllegalStateException("connection closed during " + tag);
  }
}
