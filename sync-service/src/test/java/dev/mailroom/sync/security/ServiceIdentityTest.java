package dev.mailroom.sync.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.events.testing.ServiceTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every internal endpoint of sync-service (every user's messages, with bodies) answers only the
 * gateway's service identity, through the real Keycloak: no token 401, a user's token or another
 * service's token 401/403, the gateway's 200 (or 404 for an account that does not exist).
 */
@QuarkusTest
class ServiceIdentityTest {

  private static final String ACCOUNT = UUID.randomUUID().toString();
  private static final List<String> PATHS =
      List.of(
          "/internal/accounts?owner=someone",
          "/internal/accounts/" + ACCOUNT,
          "/internal/accounts/" + ACCOUNT + "/mailboxes",
          "/internal/accounts/" + ACCOUNT + "/messages?mailbox=INBOX",
          "/internal/accounts/" + ACCOUNT + "/messages/some-message",
          "/internal/accounts/" + ACCOUNT + "/conversations/some-thread",
          "/internal/accounts/" + ACCOUNT + "/changes?after=0&wait=0");

  @Test
  void withoutATokenEveryInternalEndpointIs401() {
    for (String path : PATHS) {
      assertThat(status(given(), path)).as(path).isEqualTo(401);
    }
  }

  @Test
  void aUsersTokenOrAnotherServicesIsRefused() {
    String user = ServiceTokens.user("admin");
    String health = ServiceTokens.service("mailroom-health");
    for (String path : PATHS) {
      assertThat(status(given().auth().oauth2(user), path))
          .as("user token: " + path)
          .isIn(401, 403);
      assertThat(status(given().auth().oauth2(health), path))
          .as("health-service: " + path)
          .isIn(401, 403);
    }
  }

  @Test
  void theGatewaysServiceIdentityIsServed() {
    assertThat(status(given().auth().oauth2(ServiceTokens.gateway()), PATHS.get(0))).isEqualTo(200);
    for (String path : PATHS) {
      assertThat(status(given().auth().oauth2(ServiceTokens.gateway()), path))
          .as(path)
          .isIn(200, 404);
    }
  }

  private static int status(RequestSpecification request, String path) {
    return request.get(path).then().extract().statusCode();
  }
}
