package dev.mailroom.connector.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.events.testing.ServiceTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

/**
 * The connector's internal endpoints (which log in to IMAP servers with a sealed password) answer
 * only the gateway's service identity, each with its own role, through the real Keycloak. The right
 * identity with an empty body gets the endpoint's own 400: it passed the door.
 */
@QuarkusTest
class ServiceIdentityTest {

  private static final String[] PATHS = {
    "/internal/verify", "/internal/accounts/verify-same-mailbox"
  };

  @Test
  void withoutATokenEveryInternalEndpointIs401() {
    for (String path : PATHS) {
      assertThat(post(given(), path)).as(path).isEqualTo(401);
    }
  }

  @Test
  void aUsersTokenOrAnotherServicesIsRefused() {
    for (String token :
        new String[] {
          ServiceTokens.user("admin"),
          ServiceTokens.service("mailroom-health"),
          ServiceTokens.service("mailroom-sync")
        }) {
      for (String path : PATHS) {
        assertThat(post(given().auth().oauth2(token), path)).as(path).isIn(401, 403);
      }
    }
  }

  @Test
  void theGatewaysServiceIdentityIsServed() {
    for (String path : PATHS) {
      assertThat(post(given().auth().oauth2(ServiceTokens.gateway()), path))
          .as(path)
          .isEqualTo(400);
    }
    // Any other internal path is closed, whoever asks.
    assertThat(post(given().auth().oauth2(ServiceTokens.gateway()), "/internal/anything"))
        .isEqualTo(403);
  }

  private static int post(RequestSpecification request, String path) {
    return request.contentType(ContentType.JSON).body("{}").post(path).statusCode();
  }
}
