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

  @Test
  void writesNeedTheirOwnRoleWhichAReaderOfTheOutboxDoesNotHold() {
    // The connector reads the outbox (messages.read) and may not queue mail or change roles.
    String connector = ServiceTokens.service("mailroom-connector");
    assertThat(
            given()
                .auth()
                .oauth2(connector)
                .get("/internal/accounts/" + ACCOUNT + "/mailboxes")
                .then()
                .extract()
                .statusCode())
        .as("the connector reads")
        .isIn(200, 404);
    assertThat(
            given()
                .auth()
                .oauth2(connector)
                .contentType("application/json")
                .body("{\"archive\": \"Archive\"}")
                .put("/internal/accounts/" + ACCOUNT + "/roles")
                .then()
                .extract()
                .statusCode())
        .as("the connector may not set roles")
        .isEqualTo(403);
    assertThat(
            given()
                .auth()
                .oauth2(connector)
                .contentType("application/json")
                .body("{}")
                .post("/internal/accounts/" + ACCOUNT + "/outbox")
                .then()
                .extract()
                .statusCode())
        .as("the connector may not queue mail")
        .isEqualTo(403);
    assertThat(
            given()
                .auth()
                .oauth2(ServiceTokens.gateway())
                .contentType("application/json")
                .body("{}")
                .post("/internal/accounts/" + ACCOUNT + "/outbox")
                .then()
                .extract()
                .statusCode())
        .as("the gateway may: its empty request is refused as input, not for its identity")
        .isNotIn(401, 403);
  }

  private static int status(RequestSpecification request, String path) {
    return request.get(path).then().extract().statusCode();
  }
}
