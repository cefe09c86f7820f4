package dev.mailroom.gateway.account;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;

import dev.mailroom.gateway.testing.FakeSyncIngest;
import dev.mailroom.gateway.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A client that creates and then lists must see what it created, although sync-service applies the
 * accounts topic on its own time ({@link FakeSyncIngest} plays that lag, over the real Kafka and
 * Keycloak of the test stack).
 */
@QuarkusTest
class ReadYourWritesTest {

  static final String BODY =
      """
      {"displayName": "Lagging store", "email": "lag@example.com", "host": "imap.example.com",
       "port": 993, "security": "tls", "username": "lag@example.com", "password": "pw-lag"}""";

  @AfterEach
  void storeKeepsUpAgain() {
    FakeSyncIngest.lagMillis = 0;
    FakeSyncIngest.stuck = false;
  }

  @Test
  void theListRightAfterA201HasTheNewAccount() {
    FakeSyncIngest.lagMillis = 1500;
    String token = Tokens.of("demo");
    long start = System.nanoTime();
    String id =
        given()
            .auth()
            .oauth2(token)
            .contentType(ContentType.JSON)
            .body(BODY)
            .post("/api/accounts")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    long tookMillis = (System.nanoTime() - start) / 1_000_000;
    // No sleep, no retry: the very next request.
    given()
        .auth()
        .oauth2(token)
        .get("/api/accounts")
        .then()
        .statusCode(200)
        .body("id", hasItem(id));
    given().auth().oauth2(token).get("/api/accounts/" + id).then().statusCode(200);
    assertThat(tookMillis).as("the 201 waited for the store").isGreaterThanOrEqualTo(1400);
  }

  @Test
  void aStuckStoreDelaysTheAnswerOnlyUpToTheBound() {
    FakeSyncIngest.stuck = true;
    long start = System.nanoTime();
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .contentType(ContentType.JSON)
        .body(BODY)
        .post("/api/accounts")
        .then()
        .statusCode(201);
    long tookMillis = (System.nanoTime() - start) / 1_000_000;
    // %test.mailroom.read-your-writes.timeout=2s: the write is durable, the answer comes anyway.
    assertThat(tookMillis).isBetween(1900L, 8000L);
  }
}
