import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bench.java's side of sync-service's store: the stored counts of an account's mailboxes, read over
 * JDBC on one connection to {@link #storeUrl} (and through sync-service's internal API, with the
 * gateway's service token, to check them), the wait for a mailbox to be stored, and the VACUUM
 * between measured rounds.
 */
final class BenchStore {
  /** sync-service's database (the jdbcUrl argument), set by Bench before the first use. */
  static String storeUrl;

  private static Connection storeConnection;
  private static PreparedStatement storedQuery;
  private static String token;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

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

  /** The bench's one connection to sync-service's store, opened on first use. */
  private static synchronized Connection store() throws Exception {
    if (storeConnection == null) {
      storeConnection =
          DriverManager.getConnection(
              storeUrl,
              System.getenv().getOrDefault("PGUSER", "mailroom"),
              Bench.env("PGPASSWORD"));
    }
    return storeConnection;
  }

  /** A VACUUM of the bench's database (sync-service's store), on the bench's connection. */
  static void vacuumStore(String command) throws Exception {
    long start = System.nanoTime();
    synchronized (BenchStore.class) {
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
  static Map<String, Long> storedCounts(URI uri) throws Exception {
    String path = uri.getPath();
    String account = path.substring("/internal/accounts/".length(), path.lastIndexOf('/'));
    synchronized (BenchStore.class) {
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

  /** The stored counts as sync-service's API lists them. */
  static Map<String, Long> apiCounts(URI uri) throws Exception {
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
  static void awaitStored(URI uri, String mailbox, int count) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    long stored;
    while ((stored = storedCounts(uri).getOrDefault(mailbox, 0L)) < count) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            mailbox + ": " + stored + " of " + count + " messages stored after 2 minutes");
      }
      Thread.sleep(Bench.STORED_POLL_MS);
    }
  }
}
