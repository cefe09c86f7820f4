package dev.mailroom.gateway.testing;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Real access tokens from the test Keycloak (realm mailroom), by password grant for the
 * mailroom-gateway client, as deploy/keycloak/mailroom-realm.json defines it.
 */
public final class Tokens {

  private static final String CLIENT = "mailroom-gateway";
  private static final String SECRET = "mailroom-gateway-dev-secret";
  private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

  private Tokens() {}

  /** users: demo/demo, eve/eve (role user), admin/admin */
  public static String of(String user) {
    return CACHE.computeIfAbsent(user, Tokens::fetch);
  }

  public static String subjectOf(String user) {
    return claims(of(user)).get("sub").asText();
  }

  public static JsonNode claims(String token) {
    String payload = token.split("\\.")[1];
    try {
      return new ObjectMapper().readTree(Base64.getUrlDecoder().decode(payload));
    } catch (IOException e) {
      throw new IllegalStateException("not a JWT", e);
    }
  }

  /**
   * A token the same user gets through Keycloak's built-in public client admin-cli: valid and
   * signed by the realm, but not meant for the gateway (no mailroom-gateway audience).
   */
  public static String forAnotherClient(String user) {
    return given()
        .formParam("grant_type", "password")
        .formParam("client_id", "admin-cli")
        .formParam("username", user)
        .formParam("password", user)
        .post(realm() + "/protocol/openid-connect/token")
        .then()
        .statusCode(200)
        .extract()
        .path("access_token");
  }

  private static String realm() {
    return ConfigProvider.getConfig().getValue("quarkus.oidc.auth-server-url", String.class);
  }

  private static String fetch(String user) {
    String realm = realm();
    return given()
        .formParam("grant_type", "password")
        .formParam("client_id", CLIENT)
        .formParam("client_secret", SECRET)
        .formParam("username", user)
        .formParam("password", user)
        .post(realm + "/protocol/openid-connect/token")
        .then()
        .statusCode(200)
        .extract()
        .path("access_token");
  }
}
