package dev.mailroom.gateway.attachment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import io.quarkus.oidc.client.OidcClient;
import io.quarkus.oidc.client.Tokens;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * as a stream, never read whole (the JDK client reads ahead only a few buffers).
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

  private final Duration answerTimeout;
  private final OidcClient oidc;
  private final HttpClient http;
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
    this.answerTimeout = answerTimeout;
    this.oidc = oidc;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  public Answer fetch(String accountId, Location location) {
    String reason = "no connector address is configured (mailroom.attachments.connectors)";
    boolean reached = false;
    for (URI base : candidates(accountId)) {
      HttpResponse<InputStream> response;
      try {
        response =
            http.send(
                request(base, accountId, location), HttpResponse.BodyHandlers.ofInputStream());
      } catch (IOException e) {
        reason = base.getHost() + ": " + e;
        Log.infof("connector %s not reachable for a download: %s", base, e.toString());
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Unreachable("interrupted");
      }
      reached = true;
      int status = response.statusCode();
      if (status == 421) {
        close(response.body());
        continue;
      }
      holders.put(accountId, base);
      if (status == 200) {
        var headers = response.headers();
        return new Streaming(
            headers.firstValue("Content-Type").orElse(null),
            headers.firstValueAsLong("Content-Length"),
            response.body());
      }
      return refused(status, response);
    }
    return reached ? new NotHeld() : new Unreachable(reason);
  }

  private static Refused refused(int status, HttpResponse<InputStream> response) {
    String detail = "HTTP " + status;
    try (InputStream body = response.body()) {
      // A problem document is small; more than this is not one.
      JsonNode problem = JSON.readTree(body.readNBytes(16_384));
      if (problem != null && problem.hasNonNull("detail")) {
        detail = problem.get("detail").asText();
      }
    } catch (IOException | RuntimeException e) {
      // the status says enough
    }
    return new Refused(
        status,
        detail,
        response.headers().firstValueAsLong("Retry-After").stream().boxed().findFirst());
  }

  private HttpRequest request(URI base, String accountId, Location location) {
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
    return HttpRequest.newBuilder(
            base.resolve(path + "/internal/attachments/" + encode(accountId) + "?" + query))
        .timeout(answerTimeout)
        // The gateway's own service token (client credentials), never the user's: ADR 0007.
        .header("Authorization", "Bearer " + token())
        .GET()
        .build();
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
