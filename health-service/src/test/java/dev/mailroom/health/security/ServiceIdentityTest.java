package dev.mailroom.health.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.events.testing.ServiceTokens;
import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * health-service's internal endpoints answer only the gateway's service identity, with a role per
 * operation (status.read, status.reconnect), through the real Keycloak.
 */
@QuarkusTest
class ServiceIdentityTest {

  private static final String HEALTH = "/internal/accounts/{id}/health";
  private static final String RECONNECT = "/internal/accounts/{id}/reconnect";
  private final String account = UUID.randomUUID().toString();

  @Test
  void withoutATokenBothAre401() {
    assertThat(given().get(HEALTH, account).statusCode()).isEqualTo(401);
    assertThat(given().post(RECONNECT, account).statusCode()).isEqualTo(401);
  }

  @Test
  void aUsersTokenOrAnotherServicesIsRefused() {
    for (String token :
        new String[] {
          ServiceTokens.user("admin"),
          ServiceTokens.service("mailroom-sync"),
          ServiceTokens.service("mailroom-connector")
        }) {
      assertThat(given().auth().oauth2(token).get(HEALTH, account).statusCode()).isIn(401, 403);
      assertThat(given().auth().oauth2(token).post(RECONNECT, account).statusCode()).isIn(401, 403);
    }
  }

  @Test
  void theGatewaysServiceIdentityIsServed() {
    String gateway = ServiceTokens.gateway();
    assertThat(given().auth().oauth2(gateway).get(HEALTH, account).statusCode()).isIn(200, 404);
    // An account health-service never heard of: answered (not refused at the door).
    assertThat(given().auth().oauth2(gateway).post(RECONNECT, account).statusCode())
        .isNotIn(401, 403);
    // Methods that name no operation are refused even to the gateway.
    assertThat(given().auth().oauth2(gateway).delete(HEALTH, account).statusCode()).isEqualTo(403);
  }
}
