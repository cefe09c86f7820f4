package dev.mailroom.events.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Real access tokens from the test run's Keycloak ({@code MAILROOM_TEST_KEYCLOAK_URL}, realm {@code
 * mailroom}), for calling the services' internal endpoints as the gateway does: the
 * client-credentials grant of a service's own client (deploy/keycloak/mailroom-realm.json; each dev
 * secret is {@code <client>-dev-secret}). Cached until a minute before they expire.
 */
public final class ServiceTokens {

  private static final String REALM_URL =
      System.getenv().getOrDefault("MAILROOM_TEST_KEYCLOAK_URL", "http://127.0.0.1:19080")
          + "/realms/mailroom";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Map<String, Cached> CACHE = new ConcurrentHashMap<>();

  private record Cached(String token, Instant refreshAfter) {}

  private ServiceTokens() {}

  /** The gateway's own token: the identity every internal endpoint is called with. */
  public static String gateway() {
    return service("mailroom-gateway");
  }

  /** The service account token of {@code clientId} (mailroom-sync, mailroom-health, ...). */
  public static String service(String clientId) {
    Cached cached = CACHE.get(clientId);
    if (cached != null && Instant.now().isBefore(cached.refreshAfter())) {
      return cached.token();
    }
    JsonNode answer =
        grant(
            Map.of(
                "grant_type",
                "client_credentials",
                "client_id",
                clientId,
                "client_secret",
                clientId + "-dev-secret"));
    Cached fresh =
        new Cached(
            answer.path("access_token").asText(),
            Instant.now().plusSeconds(Math.max(0, answer.path("expires_in").asLong(60) - 60)));
    CACHE.put(clientId, fresh);
    return fresh.token();
  }

  /** A user's token through the gateway's client (demo/demo, eve/eve, admin/admin). */
  public static String user(String name) {
    return grant(
            Map.of(
                "grant_type",
                "password",
                "client_id",
                "mailroom-gateway",
                "client_secret",
                "mailroom-gateway-dev-secret",
                "username",
                name,
                "password",
                name))
        .path("access_token")
        .asText();
  }

  private static JsonNode grant(Map<String, String> form) {
    String body =
        form.entrySet().stream()
            .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(REALM_URL + "/protocol/openid-connect/token"))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    try {
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            "Keycloak refused the "
                + form.get("grant_type")
                + " grant for "
                + form.get("client_id")
                + ": HTTP "
                + response.statusCode()
                + " "
                + response.body());
      }
      return new ObjectMapper().readTree(response.body());
    } catch (IOException e) {
      throw new IllegalStateException(
          "Keycloak at " + REALM_URL + " cannot be reached: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while asking Keycloak for a token", e);
    }
  }
}
