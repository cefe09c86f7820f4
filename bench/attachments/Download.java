import com.sun.tools.attach.VirtualMachine;
import dev.mailroom.events.EventCodec;
import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.events.account.ImapEndpoint;
import dev.mailroom.events.account.Security;
import dev.mailroom.events.cloudevents.CloudEventHeaders;
import dev.mailroom.events.crypto.SecretBox;
import dev.mailroom.events.model.AccountId;
import jakarta.activation.DataHandler;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.angus.mail.imap.IMAPFolder;

/**
 * run.sh's client: appends one message per size with a random binary attachment (base64) to the
 * user's INBOX, defines the account on the connector's accounts topic, then downloads each
 * attachment through the connector's GET /internal/attachments (the gateway's service token), the
 * body read into a SHA-256 digest as it arrives and compared with the original.
 *
 * <p>Throughput rounds run first, with nothing else in the connector's JVM. Then one heap round per
 * size: attached to the connector's JVM over JMX, a sampler forces a full collection every 200 ms
 * during the download and keeps the most heap left after one (the live data: the download's chunk
 * and buffers plus the idle connector), and reads the heap in use every 20 ms without collecting
 * (garbage included). The idle connector's live heap, after a full collection, is the baseline.
 *
 * <p>With {@code BENCH_GATEWAY_URL} and {@code BENCH_GATEWAY_PID} set, the same again through the
 * gateway's public endpoint as the user demo (run.sh starts it with FakeSync as its store).
 *
 * <p>Arguments: kafka accountsTopic imapHost imapsPort imapPort user password keyId key
 * connectorUrl keycloakUrl connectorPid rounds sizeMb...
 */
public class Download {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  record Appended(int mb, long uid, byte[] sha256) {}

  public static void main(String[] a) throws Exception {
    String kafka = a[0], accountsTopic = a[1], host = a[2];
    int imaps = Integer.parseInt(a[3]), imap = Integer.parseInt(a[4]);
    String user = a[5], password = a[6], keyId = a[7], key = a[8];
    String connector = a[9], keycloak = a[10], pid = a[11];
    int rounds = Integer.parseInt(a[12]);
    int[] sizes = Arrays.stream(a, 13, a.length).mapToInt(Integer::parseInt).toArray();

    List<Appended> appended = new ArrayList<>();
    long uidValidity;
    Properties props = new Properties();
    props.put("mail.imap.connectiontimeout", "10000");
    try (Store store = Session.getInstance(props).getStore("imap")) {
      store.connect(host, imap, user, password);
      IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
      inbox.open(Folder.READ_WRITE);
      for (int mb : sizes) {
        byte[] content = new byte[mb * 1024 * 1024];
        new Random(mb).nextBytes(content);
        inbox.appendMessages(new Message[] {message(content, mb)});
        long uid = inbox.getUID(inbox.getMessage(inbox.getMessageCount()));
        appended.add(new Appended(mb, uid, MessageDigest.getInstance("SHA-256").digest(content)));
      }
      uidValidity = inbox.getUIDValidity();
      inbox.close(false);
    }
    System.out.printf("appended %s MB attachments (base64) to %s%n", Arrays.toString(sizes), user);

    AccountId id = AccountId.random();
    ImapEndpoint endpoint = new ImapEndpoint(host, imaps, Security.TLS, user);
    var sealed = SecretBox.of(keyId, Map.of(keyId, key)).seal(password, id, endpoint);
    Instant now = Instant.now();
    var account =
        new AccountDefined(id, "bench", user, user + "@localhost", endpoint, sealed, now, now);
    Properties kp = new Properties();
    kp.put("bootstrap.servers", kafka);
    kp.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    kp.put("value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
    try (var producer = new KafkaProducer<String, byte[]>(kp)) {
      var record = new ProducerRecord<>(accountsTopic, id.toString(), EventCodec.encode(account));
      CloudEventHeaders.of(account, "bench", now)
          .forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
      producer.send(record).get();
    }
    String token = token(keycloak);
    String base =
        connector + "/internal/attachments/" + id + "?mailbox=INBOX&uidValidity=" + uidValidity;

    // Until the connector holds the account: 421 before.
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (true) {
      int status = download(base, appended.getFirst(), token).status();
      if (status == 200) {
        break;
      }
      if (status != 421 || System.nanoTime() > deadline) {
        throw new IllegalStateException("connector answered " + status);
      }
      Thread.sleep(200);
    }

    measure(
        "connector", p -> base + "&uid=" + p.uid() + "&section=2", token, pid, appended, rounds);
    String gateway = System.getenv("BENCH_GATEWAY_URL");
    long validity = uidValidity;
    if (gateway != null && !gateway.isBlank()) {
      String demo = userToken(keycloak, "demo");
      measure(
          "gateway",
          p ->
              gateway
                  + "/api/accounts/"
                  + id
                  + "/messages/m-"
                  + validity
                  + "-"
                  + p.uid()
                  + "/attachments/2",
          demo,
          System.getenv("BENCH_GATEWAY_PID"),
          appended,
          rounds);
    }
  }

  /** Throughput rounds, then one heap round per size with the sampler attached to {@code pid}. */
  static void measure(
      String via,
      java.util.function.Function<Appended, String> url,
      String token,
      String pid,
      List<Appended> appended,
      int rounds)
      throws Exception {
    for (Appended p : appended) {
      List<Double> mbps = new ArrayList<>();
      for (int r = 0; r < rounds; r++) {
        long t0 = System.nanoTime();
        Result result = get(url.apply(p), token);
        double s = (System.nanoTime() - t0) / 1e9;
        check(result, p);
        mbps.add(p.mb() / s);
        System.out.printf(
            "  %s %d MB round %d: %.2f s, %.1f MB/s%n", via, p.mb(), r + 1, s, p.mb() / s);
      }
      mbps.sort(null);
      System.out.printf(
          "RESULT attachment_throughput via=%s mb=%d rounds=%d median_mb_per_s=%.1f"
              + " best_mb_per_s=%.1f%n",
          via, p.mb(), rounds, mbps.get(mbps.size() / 2), mbps.getLast());
    }
    VirtualMachine vm = VirtualMachine.attach(pid);
    String address = vm.startLocalManagementAgent();
    vm.detach();
    try (JMXConnector jmx = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
      MBeanServerConnection server = jmx.getMBeanServerConnection();
      MemoryMXBean memory =
          ManagementFactory.newPlatformMXBeanProxy(
              server, ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
      double slow = Double.parseDouble(System.getenv().getOrDefault("BENCH_SLOW_MB_PER_S", "2"));
      for (double pace : new double[] {0, slow}) {
        for (Appended p : appended) {
          if (pace > 0 && p != appended.getLast()) {
            continue; // the slow round: the largest attachment only
          }
          memory.gc();
          long idle = memory.getHeapMemoryUsage().getUsed();
          AtomicLong live = new AtomicLong();
          AtomicLong used = new AtomicLong();
          var sampler = new Sampler(memory, live, used);
          long t0 = System.nanoTime();
          sampler.start();
          Result result;
          try {
            result = get(url.apply(p), token, pace);
          } finally {
            sampler.stop = true;
            sampler.join();
          }
          double s = (System.nanoTime() - t0) / 1e9;
          check(result, p);
          System.out.printf(
              "RESULT attachment_heap via=%s mb=%d client=%s idle_live_mb=%.1f peak_live_mb=%.1f"
                  + " added_live_mb=%.1f peak_used_mb=%.1f full_gcs=%d seconds=%.2f%n",
              via,
              p.mb(),
              pace > 0 ? "slow-" + pace + "MB/s" : "fast",
              idle / 1048576.0,
              live.get() / 1048576.0,
              (live.get() - idle) / 1048576.0,
              used.get() / 1048576.0,
              sampler.gcs,
              s);
        }
      }
    }
  }

  /** Forces a full collection every 200 ms and reads the heap every 20 ms, until stopped. */
  static final class Sampler extends Thread {
    final MemoryMXBean memory;
    final AtomicLong live;
    final AtomicLong used;
    volatile boolean stop;
    int gcs;

    Sampler(MemoryMXBean memory, AtomicLong live, AtomicLong used) {
      this.memory = memory;
      this.live = live;
      this.used = used;
    }

    @Override
    public void run() {
      long nextGc = 0;
      while (!stop) {
        long now = System.nanoTime();
        if (now >= nextGc) {
          memory.gc();
          gcs++;
          long after = memory.getHeapMemoryUsage().getUsed();
          live.accumulateAndGet(after, Math::max);
          used.accumulateAndGet(after, Math::max);
          nextGc = now + 200_000_000L;
        } else {
          used.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
        }
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  record Result(int status, long octets, byte[] sha256) {}

  static Result download(String base, Appended p, String token) throws Exception {
    return get(base + "&uid=" + p.uid() + "&section=2", token);
  }

  static Result get(String url, String token) throws Exception {
    return get(url, token, 0);
  }

  /**
   * @param slowMbPerSecond read at most this fast (a phone on a poor network), 0 for as fast as it
   *     comes: a slow reader shows whether the server holds back (backpressure) or buffers
   */
  static Result get(String url, String token, double slowMbPerSecond) throws Exception {
    HttpResponse<InputStream> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token)
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    long octets = 0;
    try (InputStream in = r.body()) {
      byte[] buffer = new byte[65536];
      long start = System.nanoTime();
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
        octets += n;
        if (slowMbPerSecond > 0) {
          long due = start + (long) (octets / (slowMbPerSecond * 1048576) * 1e9);
          long wait = due - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          }
        }
      }
    }
    return new Result(r.statusCode(), octets, digest.digest());
  }

  static void check(Result result, Appended p) {
    if (result.status() != 200 || !Arrays.equals(result.sha256(), p.sha256())) {
      throw new IllegalStateException(
          p.mb()
              + " MB: HTTP "
              + result.status()
              + ", "
              + result.octets()
              + " octets, sha256 "
              + HexFormat.of().formatHex(result.sha256())
              + " differs from the original's");
    }
  }

  static MimeMessage message(byte[] content, int mb) throws Exception {
    MimeMessage m = new MimeMessage((Session) null);
    m.setFrom(new InternetAddress("bench@example.com"));
    m.setSubject(mb + " MB attachment");
    MimeBodyPart text = new MimeBodyPart();
    text.setText("See attached.\r\n", "utf-8");
    MimeBodyPart file = new MimeBodyPart();
    file.setDataHandler(
        new DataHandler(new ByteArrayDataSource(content, "application/octet-stream")));
    file.setFileName("bench-" + mb + "mb.bin");
    file.setDisposition(Part.ATTACHMENT);
    file.setHeader("Content-Transfer-Encoding", "base64");
    m.setContent(new MimeMultipart(text, file));
    m.saveChanges();
    return m;
  }

  /** A user's token through the gateway's client (the realm's demo users: name = password). */
  static String userToken(String keycloak, String name) throws Exception {
    return grant(
        keycloak,
        "grant_type=password&client_id=mailroom-gateway&client_secret=mailroom-gateway-dev-secret"
            + "&username="
            + name
            + "&password="
            + name);
  }

  static String token(String keycloak) throws Exception {
    return grant(
        keycloak,
        "grant_type=client_credentials&client_id=mailroom-gateway"
            + "&client_secret=mailroom-gateway-dev-secret");
  }

  static String grant(String keycloak, String form) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(keycloak + "/realms/mailroom/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Matcher m = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(r.body());
    if (!m.find()) {
      throw new IllegalStateException(
          "no gateway token from " + keycloak + ": HTTP " + r.statusCode());
    }
    return m.group(1);
  }
}
