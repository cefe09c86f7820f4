package dev.mailroom.gateway.attachment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import io.quarkus.oidc.client.OidcClient;
import io.quarkus.oidc.client.Tokens;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Asks connector-service for one part of a message, at the instance that holds the account: every
 * address of every configured URL in turn, the one that served the account last first. An instance
 * that does not hold it answers 421 at once, before any IMAP work. The answer's body is handed on
 * as a stream, read from the socket only as fast as the gateway's own client reads it.
 */
@ApplicationScoped
public class ConnectorParts {

  /** Where one part is on the server, as the store last saw it. */
  public record Location(String mailbox, long uidValidity, long uid, String section) {}

  /** The connector's answer. */
  public sealed interface Answer {}

  /** 200: the decoded part; whoever takes it closes {@code body}. */
  public record Streaming(String contentType, OptionalLong length, InputStream body)
      implements Answer {}

  /** The connector's refusal: its status and its problem's detail (ADR 0011). */
  public record Refused(int status, String detail, Optional<Long> retryAfterSeconds)
      implements Answer {}

  /** Every instance reached answered 421: the account is between owners, or none runs it. */
  public record NotHeld() implements Answer {}

  /** No instance could be reached. */
  public record Unreachable(String reason) implements Answer {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TOKEN_WAIT = Duration.ofSeconds(10);

  /**
   * connector-service's base URLs, read where they are used (the tests name their own port, known
   * only once the server listens). Each host name is resolved to every address it has, and each
   * address is asked in turn until the instance that holds the account answers: on Kubernetes a
   * headless Service names every connector pod (deploy/k8s/base/connector-service.yaml).
   */
  static final String CONNECTORS = "mailroom.attachments.connectors";

  private final Duration connectTimeout;
  private final Duration answerTimeout;
  private final OidcClient oidc;
  private final Map<String, URI> holders = new ConcurrentHashMap<>();
  private Tokens tokens;

  /**
   * @param answerTimeout how long to wait for the connector's answer to begin: it logs in to the
   *     mail server, selects the mailbox and reads the message's structure first
   */
  ConnectorParts(
      OidcClient oidc,
      @ConfigProperty(name = "mailroom.attachments.connect-timeout", defaultValue = "2s")
          Duration connectTimeout,
      @ConfigProperty(name = "mailroom.attachments.answer-timeout", defaultValue = "45s")
          Duration answerTimeout) {
    this.connectTimeout = connectTimeout;
    this.answerTimeout = answerTimeout;
    this.oidc = oidc;
  }

  public Answer fetch(String accountId, Location location) {
    String reason = "no connector address is configured (" + CONNECTORS + ")";
    boolean reached = false;
    for (URI base : candidates(accountId)) {
      HttpURLConnection connection;
      int status;
      try {
        connection = open(base, accountId, location);
        status = connection.getResponseCode();
      } catch (IOException e) {
        reason = base.getHost() + ": " + e;
        Log.infof("connector %s not reachable for a download: %s", base, e.toString());
        continue;
      }
      reached = true;
      if (status == 421) {
        connection.disconnect();
        continue;
      }
      holders.put(accountId, base);
      if (status == 200) {
        long length = connection.getContentLengthLong();
        try {
          return new Streaming(
              connection.getContentType(),
              length >= 0 ? OptionalLong.of(length) : OptionalLong.empty(),
              new Disconnecting(connection.getInputStream(), connection));
        } catch (IOException e) {
          connection.disconnect();
          return new Unreachable(base.getHost() + ": " + e);
        }
      }
      return refused(status, connection);
    }
    return reached ? new NotHeld() : new Unreachable(reason);
  }

  /**
   * Closing the body drops the connection: a download stopped half-way must not leave the rest to
   * be drained for the sake of keep-alive, and the connector then stops fetching.
   */
  private static final class Disconnecting extends FilterInputStream {
    private final HttpURLConnection connection;

    Disconnecting(InputStream in, HttpURLConnection connection) {
      super(in);
      this.connection = connection;
    }

    @Override
    public void close() {
      connection.disconnect();
    }
  }

  private static Refused refused(int status, HttpURLConnection connection) {
    String detail = "HTTP " + status;
    try (InputStream body = connection.getErrorStream()) {
      // A problem document is small; more than this is not one.
      JsonNode problem = body == null ? null : JSON.readTree(body.readNBytes(16_384));
      if (problem != null && problem.hasNonNull("detail")) {
        detail = problem.get("detail").asText();
      }
    } catch (IOException | RuntimeException e) {
      // the status says enough
    } finally {
      connection.disconnect();
    }
    long retryAfter = connection.getHeaderFieldLong("Retry-After", -1);
    return new Refused(status, detail, retryAfter > 0 ? Optional.of(retryAfter) : Optional.empty());
  }

  /**
   * A blocking {@link HttpURLConnection}, not the JDK's {@code HttpClient}: its body is read
   * straight from the socket as the gateway's own client reads, so a slow client slows the
   * connector down (TCP backpressure). Through {@code HttpClient} the gateway held ~10 MB more of a
   * 20 MB download while its client was slower than the connector (bench/attachments).
   */
  private HttpURLConnection open(URI base, String accountId, Location location) throws IOException {
    String query =
        "mailbox="
            + encode(location.mailbox())
            + "&uidValidity="
            + location.uidValidity()
            + "&uid="
            + location.uid()
            + "&section="
            + encode(location.section());
    String path = base.getRawPath() == null ? "" : base.getRawPath().replaceAll("/+$", "");
    URI uri = base.resolve(path + "/internal/attachments/" + encode(accountId) + "?" + query);
    var connection = (HttpURLConnection) uri.toURL().openConnection();
    connection.setConnectTimeout((int) connectTimeout.toMillis());
    // Also the longest pause between two reads of the body.
    connection.setReadTimeout((int) answerTimeout.toMillis());
    connection.setInstanceFollowRedirects(false);
    // The gateway's own service token (client credentials), never the user's: ADR 0007.
    connection.setRequestProperty("Authorization", "Bearer " + token());
    return connection;
  }

  /** Every address of every configured URL, the last holder of the account first. */
  List<URI> candidates(String accountId) {
    List<URI> all = new ArrayList<>();
    List<URI> urls =
        ConfigProvider.getConfig()
            .getOptionalValues(CONNECTORS, URI.class)
            .orElse(List.of(URI.create("http://127.0.0.1:8081")));
    for (URI url : urls) {
      try {
        for (InetAddress address : InetAddress.getAllByName(url.getHost())) {
          all.add(
              new URI(
                  url.getScheme(),
                  null,
                  address.getHostAddress(),
                  url.getPort(),
                  url.getPath(),
                  null,
                  null));
        }
      } catch (UnknownHostException | URISyntaxException e) {
        Log.warnf("connector URL %s does not resolve: %s", url, e.getMessage());
      }
    }
    URI last = holders.get(accountId);
    if (last != null && all.remove(last)) {
      all.addFirst(last);
    }
    return all;
  }

  private synchronized String token() {
    if (tokens == null
        || tokens.isAccessTokenExpired()
        || tokens.isAccessTokenWithinRefreshInterval()) {
      tokens = oidc.getTokens().await().atMost(TOKEN_WAIT);
    }
    return tokens.getAccessToken();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static void close(InputStream body) {
    try {
      body.close();
    } catch (IOException e) {
      // nothing was read from it
    }
  }
}
