import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailroom.events.EventCodec;
import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.events.account.ImapEndpoint;
import dev.mailroom.events.account.Security;
import dev.mailroom.events.cloudevents.CloudEventHeaders;
import dev.mailroom.events.crypto.SecretBox;
import dev.mailroom.events.model.AccountId;
import jakarta.mail.Folder;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;

/**
 * Two-way sync benchmark: actions through the gateway (a real Keycloak token), timed from the 202
 * ("accepted") until a second IMAP client sees the change on the server, and until sync-service
 * shows the command applied ("back in the store"). Single flag changes, single moves, and one bulk
 * move of 1,000 messages. Prints p50/p99 and RESULT lines.
 *
 * <p>args: kafka accountsTopic host imapsPort imapPort user password syncUrl gatewayUrl token
 * ownerSub singles bulk
 */
public class Actions {

  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  static final long TIMEOUT_NS = 30_000_000_000L;

  public static void main(String[] a) throws Exception {
    String kafka = a[0],
        accounts = a[1],
        host = a[2],
        user = a[5],
        password = a[6],
        sync = a[7],
        gateway = a[8];
    int imaps = Integer.parseInt(a[3]), imap = Integer.parseInt(a[4]);
    String token = a[9], owner = a[10];
    int singles = Integer.parseInt(a[11]), bulk = Integer.parseInt(a[12]);
    AccountId id = AccountId.random();
    define(kafka, accounts, id, owner, user, host, imaps, password);
    int total = singles * 2 + bulk;
    long t0 = System.nanoTime();
    while (stored(sync, id, "INBOX") < total) {
      if (System.nanoTime() - t0 > 300_000_000_000L) {
        throw new IllegalStateException("first sync not done after 5 minutes");
      }
      Thread.sleep(200);
    }
    System.out.printf(
        "account synced (%d messages in INBOX) in %.1f s%n", total, (System.nanoTime() - t0) / 1e9);
    List<String[]> messages = list(sync, id, "INBOX"); // [identity, uid], newest first
    Collections.reverse(messages);

    Properties props = new Properties();
    props.put("mail.imap.timeout", "20000");
    Store observer = Session.getInstance(props).getStore("imap");
    observer.connect(host, imap, user, password);
    IMAPFolder inbox = (IMAPFolder) observer.getFolder("INBOX");
    inbox.open(Folder.READ_ONLY);
    var pool = Executors.newVirtualThreadPerTaskExecutor();

    // Warm-up: a few actions not counted (the services' JVMs compile the path).
    for (int i = 0; i < 5; i++) {
      String[] m = messages.get(i);
      patch(gateway, token, id, m[0], "{\"flagged\": true}");
    }
    Thread.sleep(2000);

    List<Double> flagVisible = new ArrayList<>(), flagStored = new ArrayList<>();
    for (int i = 0; i < singles; i++) {
      String[] m = messages.get(i);
      long uid = Long.parseLong(m[1]);
      long start = System.nanoTime();
      String command = patch(gateway, token, id, m[0], "{\"seen\": true}");
      Future<Long> storedAt = pool.submit(applied(sync, id, command));
      flagVisible.add(ms(start, until(() -> flags(inbox, uid).contains("\\Seen"))));
      flagStored.add(ms(start, storedAt.get()));
    }
    report("flag", "seen on one message", flagVisible, flagStored);

    IMAPFolder archive = (IMAPFolder) observer.getFolder("Archive");
    List<Double> moveVisible = new ArrayList<>(), moveStored = new ArrayList<>();
    for (int i = singles; i < 2 * singles; i++) {
      String[] m = messages.get(i);
      long uid = Long.parseLong(m[1]);
      long start = System.nanoTime();
      String command =
          post(
              gateway + "/api/accounts/" + id + "/messages/" + enc(m[0]) + "/move",
              token,
              "{\"role\": \"archive\"}");
      Future<Long> storedAt = pool.submit(applied(sync, id, command));
      moveVisible.add(ms(start, until(() -> !holds(inbox, uid))));
      moveStored.add(ms(start, storedAt.get()));
    }
    report("move", "one message to Archive", moveVisible, moveStored);

    int archived = observer.getFolder("Archive").getMessageCount();
    int inboxBefore = observer.getFolder("INBOX").getMessageCount();
    List<String> ids =
        messages.subList(2 * singles, 2 * singles + bulk).stream().map(m -> m[0]).toList();
    long start = System.nanoTime();
    String command =
        post(
            gateway + "/api/accounts/" + id + "/actions",
            token,
            JSON.writeValueAsString(
                Map.of("action", "move", "mailbox", "Archive", "messageIds", ids)));
    double accepted = ms(start, System.nanoTime());
    Future<Long> storedAt = pool.submit(applied(sync, id, command));
    // Closed folder objects: each count is a STATUS, fresh from the server.
    double visible =
        ms(
            start,
            until(
                () ->
                    observer.getFolder("Archive").getMessageCount() >= archived + bulk
                        && observer.getFolder("INBOX").getMessageCount() <= inboxBefore - bulk));
    double stored = ms(start, storedAt.get());
    System.out.printf(
        "bulk move of %d messages: 202 after %.0f ms; visible to another IMAP client after %.0f ms;"
            + " applied in the store after %.0f ms (goal: visible < 5000 ms)%n",
        bulk, accepted, visible, stored);
    System.out.printf(
        "RESULT bulk_move messages=%d accepted_ms=%.0f visible_ms=%.0f stored_ms=%.0f%n",
        bulk, accepted, visible, stored);
    observer.close();
    pool.shutdownNow();
  }

  interface Check {
    boolean ok() throws Exception;
  }

  static long until(Check check) throws Exception {
    long deadline = System.nanoTime() + TIMEOUT_NS;
    while (!check.ok()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not visible after 30 s");
      }
      Thread.sleep(2);
    }
    return System.nanoTime();
  }

  static Callable<Long> applied(String sync, AccountId id, String command) {
    return () ->
        until(
            () -> {
              JsonNode c = get(sync + "/internal/accounts/" + id + "/commands/" + command);
              if (c != null && c.path("status").asText().equals("failed")) {
                throw new IllegalStateException("command failed: " + c);
              }
              return c != null && c.path("status").asText().equals("applied");
            });
  }

  static String flags(IMAPFolder folder, long uid) throws Exception {
    StringBuilder out = new StringBuilder();
    for (Response r :
        (Response[]) folder.doCommand(p -> p.command("UID FETCH " + uid + " (FLAGS)", null))) {
      if (r instanceof FetchResponse || (r instanceof IMAPResponse ir && ir.keyEquals("FETCH"))) {
        out.append(r.toString());
      }
    }
    return out.toString();
  }

  static boolean holds(IMAPFolder folder, long uid) throws Exception {
    // NOOP first: Dovecot reports another session's expunge to a selected mailbox only at a
    // command that may carry EXPUNGE replies, and until then UID SEARCH still finds the message.
    folder.doCommand(p -> p.command("NOOP", null));
    for (Response r :
        (Response[]) folder.doCommand(p -> p.command("UID SEARCH UID " + uid, null))) {
      if (r instanceof IMAPResponse ir && ir.keyEquals("SEARCH")) {
        for (long found = ir.readLong(); found > 0; found = ir.readLong()) {
          if (found == uid) {
            return true;
          }
        }
      }
    }
    return false;
  }

  static void report(String name, String what, List<Double> visible, List<Double> stored) {
    System.out.printf(
        "%s (%s), %d actions: accepted -> visible to another IMAP client p50 %.0f ms, p99 %.0f ms;"
            + " -> applied in the store p50 %.0f ms, p99 %.0f ms (goal: visible p99 < 500 ms)%n",
        name,
        what,
        visible.size(),
        pct(visible, 50),
        pct(visible, 99),
        pct(stored, 50),
        pct(stored, 99));
    System.out.printf(
        "RESULT %s n=%d visible_p50_ms=%.0f visible_p99_ms=%.0f stored_p50_ms=%.0f stored_p99_ms=%.0f%n",
        name, visible.size(), pct(visible, 50), pct(visible, 99), pct(stored, 50), pct(stored, 99));
  }

  static double pct(List<Double> values, int p) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }

  static double ms(long start, long end) {
    return (end - start) / 1e6;
  }

  static String patch(String gateway, String token, AccountId id, String message, String body)
      throws Exception {
    return send(
        HttpRequest.newBuilder(
                URI.create(gateway + "/api/accounts/" + id + "/messages/" + enc(message)))
            .method("PATCH", HttpRequest.BodyPublishers.ofString(body)),
        token);
  }

  static String post(String url, String token, String body) throws Exception {
    return send(
        HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body)),
        token);
  }

  static String send(HttpRequest.Builder request, String token) throws Exception {
    var response =
        HTTP.send(
            request
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 202) {
      throw new IllegalStateException(
          "gateway answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body()).path("commandId").asText();
  }

  static String enc(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** sync-service's internal API answers the gateway's service token only (ADR 0007). */
  static JsonNode get(String url) throws Exception {
    var response = HTTP.send(internal(url), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() == 401) {
      serviceToken = null; // expired (15 minutes): fetch another
      response = HTTP.send(internal(url), HttpResponse.BodyHandlers.ofString());
    }
    return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
  }

  private static volatile String serviceToken;

  private static HttpRequest internal(String url) throws Exception {
    if (serviceToken == null) {
      String realm = System.getenv("BENCH_KEYCLOAK_REALM_URL");
      var reply =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(realm + "/protocol/openid-connect/token"))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "grant_type=client_credentials&client_id=mailroom-gateway"
                              + "&client_secret=mailroom-gateway-dev-secret"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      serviceToken = JSON.readTree(reply.body()).path("access_token").asText();
    }
    return HttpRequest.newBuilder(URI.create(url))
        .header("Authorization", "Bearer " + serviceToken)
        .build();
  }

  static long stored(String sync, AccountId id, String mailbox) throws Exception {
    JsonNode boxes = get(sync + "/internal/accounts/" + id + "/mailboxes");
    if (boxes == null) {
      return 0;
    }
    for (JsonNode b : boxes) {
      if (b.path("path").asText().equals(mailbox)) {
        return b.path("stored").asLong();
      }
    }
    return 0;
  }

  static List<String[]> list(String sync, AccountId id, String mailbox) throws Exception {
    List<String[]> out = new ArrayList<>();
    String cursor = null;
    do {
      JsonNode page =
          get(
              sync
                  + "/internal/accounts/"
                  + id
                  + "/messages?mailbox="
                  + mailbox
                  + "&limit=200"
                  + (cursor == null ? "" : "&cursor=" + enc(cursor)));
      for (JsonNode m : page.path("items")) {
        out.add(new String[] {m.path("id").asText(), m.path("uid").asText()});
      }
      cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asText(null);
    } while (cursor != null);
    return out;
  }

  static void define(
      String kafka,
      String topic,
      AccountId id,
      String owner,
      String user,
      String host,
      int port,
      String password)
      throws Exception {
    String keyId = System.getenv("MAILROOM_CREDENTIALS_KEY_ID");
    String key = System.getenv("MAILROOM_CREDENTIALS_KEY");
    // Sealed for this account and endpoint, as the gateway seals it (CredentialBinding).
    var endpoint = new ImapEndpoint(host, port, Security.TLS, user);
    var sealed = SecretBox.of(keyId, Map.of(keyId, key)).seal(password, id, endpoint);
    Instant now = Instant.now();
    var account =
        new AccountDefined(id, owner, user, user + "@localhost", endpoint, sealed, now, now);
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
}
