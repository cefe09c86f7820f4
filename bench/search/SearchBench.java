// Search benchmark client (run.sh runs it as a single-file program on the connector's and
// search-service's classpath). Commands:
//   define <kafka> <accounts topic> <account id> <user> <host> <port>   (key and password from env)
//   await-index <pg url> <n> <timeout s> <account id>...
//   run <search url> <host> <imaps port> <ca.pem> <reps> <direct reps> fuzzy=<id>:<user>
// local=<id>:<user>
import dev.mailroom.connector.search.SearchKeys;
import dev.mailroom.events.EventCodec;
import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.events.account.ImapEndpoint;
import dev.mailroom.events.account.Security;
import dev.mailroom.events.cloudevents.CloudEventHeaders;
import dev.mailroom.events.crypto.SecretBox;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.search.query.QueryParser;
import dev.mailroom.search.query.SearchQuery;
import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

public class SearchBench {

  /**
   * Typical queries on the corpus (bench/corpus/text.py): words, typos, fields, a phrase, flags.
   */
  static final List<String> QUERIES =
      List.of(
          "invoice",
          "invoce",
          "Ausschreibung",
          "Ausschreibnug",
          "from:Lefèvre",
          "subject:release",
          "\"numbers review\"",
          "budget is:unread",
          "has:attachment invoice",
          "déménagement -facture");

  public static void main(String[] a) throws Exception {
    switch (a[0]) {
      case "define" -> define(a[1], a[2], AccountId.of(a[3]), a[4], a[5], Integer.parseInt(a[6]));
      case "await-index" ->
          awaitIndex(
              a[1],
              Long.parseLong(a[2]),
              Integer.parseInt(a[3]),
              Arrays.copyOfRange(a, 4, a.length));
      case "run" -> run(a);
      default -> throw new IllegalArgumentException(a[0]);
    }
  }

  static void define(String kafka, String topic, AccountId id, String user, String host, int port)
      throws Exception {
    String keyId = System.getenv("MAILROOM_CREDENTIALS_KEY_ID");
    String key = System.getenv("MAILROOM_CREDENTIALS_KEY");
    var sealed =
        SecretBox.of(keyId, Map.of(keyId, key))
            .seal(System.getenv("BENCH_IMAP_PASSWORD"), id.toString());
    Instant now = Instant.now();
    var account =
        new AccountDefined(
            id,
            "bench",
            user,
            user + "@localhost",
            new ImapEndpoint(host, port, Security.TLS, user),
            sealed,
            now,
            now);
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka);
    p.put("key.serializer", StringSerializer.class.getName());
    p.put("value.serializer", ByteArraySerializer.class.getName());
    try (var producer = new KafkaProducer<String, byte[]>(p)) {
      var record = new ProducerRecord<>(topic, id.toString(), EventCodec.encode(account));
      CloudEventHeaders.of(account, "bench", now)
          .forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
      producer.send(record).get();
    }
  }

  /** Until the local index holds n messages of each account and knows their capabilities. */
  static void awaitIndex(String pgUrl, long n, int timeoutSeconds, String[] accounts)
      throws Exception {
    long start = System.nanoTime();
    long end = start + timeoutSeconds * 1_000_000_000L;
    try (var c = DriverManager.getConnection(pgUrl, "mailroom", "mailroom")) {
      long last = -1;
      while (true) {
        boolean all = true;
        long total = 0;
        for (String id : accounts) {
          var s =
              c.prepareStatement(
                  "select (select count(*) from indexed_message where account_id = ?::uuid),"
                      + " (select count(*) from indexed_account where account_id = ?::uuid)");
          s.setString(1, id);
          s.setString(2, id);
          var r = s.executeQuery();
          r.next();
          total += r.getLong(1);
          all &= r.getLong(1) >= n && r.getLong(2) == 1;
        }
        if (all) {
          System.out.printf(
              "index: %d messages of %d account(s) indexed after %.1f s%n",
              total, accounts.length, (System.nanoTime() - start) / 1e9);
          return;
        }
        if (System.nanoTime() > end) {
          throw new IllegalStateException(
              "the index holds " + total + " messages after " + timeoutSeconds + " s");
        }
        if (total / 10_000 != last / 10_000) {
          System.out.printf(
              "index: %d messages after %.0f s%n", total, (System.nanoTime() - start) / 1e9);
        }
        last = total;
        Thread.sleep(1000);
      }
    }
  }

  record Target(String route, String accountId, String user) {}

  static void run(String[] a) throws Exception {
    String searchUrl = a[1];
    String host = a[2];
    int port = Integer.parseInt(a[3]);
    String ca = a[4];
    int reps = Integer.parseInt(a[5]);
    int directReps = Integer.parseInt(a[6]);
    List<Target> targets = new ArrayList<>();
    for (int i = 7; i < a.length; i++) {
      String[] kv = a[i].split("=", 2);
      String[] idUser = kv[1].split(":", 2);
      targets.add(new Target(kv[0], idUser[0], idUser[1]));
    }
    HttpClient http = HttpClient.newHttpClient();
    String password = System.getenv("BENCH_IMAP_PASSWORD");
    System.out.printf(
        "%-14s %-26s %8s %8s %8s %7s %8s   %-24s%n",
        "route", "query", "p50 ms", "p95 ms", "hits", "partial", "direct", "route seen");
    Map<String, List<Double>> perRoute = new LinkedHashMap<>();
    Map<String, List<Double>> directPerRoute = new LinkedHashMap<>();
    for (Target t : targets) {
      try (Imap imap = new Imap(host, port, ca, t.user(), password)) {
        for (String q : QUERIES) {
          // Warm-up, untimed: JIT, Dovecot's and PostgreSQL's caches.
          for (int i = 0; i < 2; i++) {
            ask(http, searchUrl, t.accountId(), q);
          }
          List<Double> times = new ArrayList<>();
          String seen = null;
          int hits = 0;
          boolean partial = false;
          for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            String body = ask(http, searchUrl, t.accountId(), q);
            times.add((System.nanoTime() - t0) / 1e6);
            seen = field(body, "route");
            partial |= "true".equals(field(body, "partial"));
            hits = count(body, "\"uid\"");
          }
          perRoute.computeIfAbsent(t.route(), k -> new ArrayList<>()).addAll(times);
          // The same search straight to Dovecot: every folder EXAMINEd and searched, as the
          // connector does; FUZZY and RELEVANCY only on the fuzzy user.
          SearchQuery parsed = QueryParser.parse(q);
          SearchKeys keys = SearchKeys.of(parsed.terms(), t.route().equals("fuzzy"), true);
          imap.search(keys.render()); // warm
          List<Double> direct = new ArrayList<>();
          for (int i = 0; i < directReps; i++) {
            long t0 = System.nanoTime();
            imap.search(keys.render());
            direct.add((System.nanoTime() - t0) / 1e6);
          }
          directPerRoute.computeIfAbsent(t.route(), k -> new ArrayList<>()).addAll(direct);
          System.out.printf(
              "%-14s %-26s %8.1f %8.1f %8d %7s %8.1f   %-24s%n",
              t.route(), q, pct(times, 50), pct(times, 95), hits, partial, pct(direct, 50), seen);
        }
      }
    }
    System.out.println();
    for (var e : perRoute.entrySet()) {
      List<Double> d = directPerRoute.get(e.getKey());
      System.out.printf(
          "RESULT route=%s n=%d p50=%.1f ms p95=%.1f ms max=%.1f ms | straight to Dovecot n=%d p50=%.1f ms p95=%.1f ms%n",
          e.getKey(),
          e.getValue().size(),
          pct(e.getValue(), 50),
          pct(e.getValue(), 95),
          pct(e.getValue(), 100),
          d.size(),
          pct(d, 50),
          pct(d, 95));
    }
  }

  static String ask(HttpClient http, String base, String account, String q) throws Exception {
    var req =
        HttpRequest.newBuilder(
                URI.create(
                    base
                        + "/internal/search/accounts/"
                        + account
                        + "?limit=25&q="
                        + URLEncoder.encode(q, StandardCharsets.UTF_8)))
            .header("Authorization", "Bearer " + serviceToken(http))
            .GET()
            .build();
    var res = http.send(req, HttpResponse.BodyHandlers.ofString());
    if (res.statusCode() != 200) {
      throw new IllegalStateException("HTTP " + res.statusCode() + " for " + q + ": " + res.body());
    }
    return res.body();
  }

  private static String token;
  private static long tokenTakenAt;

  /**
   * search-service answers only a caller with the gateway's service token (docs/adr/0007); the
   * realm's dev secret, taken anew every 4 minutes (a token lasts 15) so long runs keep working.
   */
  static synchronized String serviceToken(HttpClient http) throws Exception {
    if (token == null || System.nanoTime() - tokenTakenAt > 240_000_000_000L) {
      String realm = System.getenv("QUARKUS_OIDC_AUTH_SERVER_URL");
      var res =
          http.send(
              HttpRequest.newBuilder(URI.create(realm + "/protocol/openid-connect/token"))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "grant_type=client_credentials&client_id=mailroom-gateway"
                              + "&client_secret=mailroom-gateway-dev-secret"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      String value = field(res.body(), "access_token");
      if (res.statusCode() != 200 || value == null) {
        throw new IllegalStateException("no service token from " + realm + ": " + res.statusCode());
      }
      token = value;
      tokenTakenAt = System.nanoTime();
    }
    return token;
  }

  static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":\"?([^,\"}]*)").matcher(json);
    return m.find() ? m.group(1) : null;
  }

  static int count(String s, String needle) {
    int n = 0;
    for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

  static double pct(List<Double> values, int p) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int i = (int) Math.ceil(p / 100.0 * v.length) - 1;
    return v[Math.max(0, Math.min(v.length - 1, i))];
  }

  /** A minimal IMAP client over TLS: LOGIN, LIST once, then EXAMINE + UID SEARCH per folder. */
  static final class Imap implements AutoCloseable {
    private final SSLSocket socket;
    private final BufferedReader in;
    private final OutputStream out;
    private final List<String> folders = new ArrayList<>();
    private int tag;

    Imap(String host, int port, String caPem, String user, String password) throws Exception {
      var cf = CertificateFactory.getInstance("X.509");
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      try (var f = new FileInputStream(caPem)) {
        ks.setCertificateEntry("ca", cf.generateCertificate(f));
      }
      var tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      socket = (SSLSocket) ctx.getSocketFactory().createSocket(host, port);
      in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      out = socket.getOutputStream();
      in.readLine();
      command("LOGIN \"" + user + "\" \"" + password + "\"");
      for (String line : command("LIST \"\" \"*\"")) {
        Matcher m = Pattern.compile("^\\* LIST \\(([^)]*)\\) \"[^\"]*\" (.*)$").matcher(line);
        if (m.find() && !m.group(1).contains("\\Noselect")) {
          folders.add(m.group(2));
        }
      }
    }

    int search(String keys) throws Exception {
      int hits = 0;
      for (String folder : folders) {
        command("EXAMINE " + folder);
        for (String line : command("UID SEARCH " + keys)) {
          if (line.startsWith("* ESEARCH") && line.contains(" ALL ")) {
            hits++;
          }
        }
      }
      return hits;
    }

    List<String> command(String text) throws Exception {
      String t = "b" + (++tag);
      out.write((t + " " + text + "\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      List<String> lines = new ArrayList<>();
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.startsWith(t + " ")) {
          if (!line.startsWith(t + " OK")) {
            throw new IllegalStateException(text + " -> " + line);
          }
          return lines;
        }
        lines.add(line);
      }
      throw new IllegalStateException("connection closed");
    }

    @Override
    public void close() throws Exception {
      socket.close();
    }
  }
}
