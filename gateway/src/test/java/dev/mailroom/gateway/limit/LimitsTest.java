package dev.mailroom.gateway.limit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.mailroom.gateway.testing.FakeSyncResource;
import dev.mailroom.gateway.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * 429 with Retry-After, with limits low enough to reach: 3 credential checks and 3 searches a
 * minute, 2 accounts.
 */
@QuarkusTest
@TestProfile(LimitsTest.LowLimits.class)
class LimitsTest {

  public static class LowLimits implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "mailroom.limits.credential-checks",
          "3",
          "mailroom.limits.accounts-per-user",
          "2",
          "mailroom.limits.searches",
          "3");
    }
  }

  private static final String BODY =
      """
      {"host": "imap.example.com", "port": 993, "security": "tls", "username": "%s",
       "password": "pw"}""";

  /** 429, a problem of this type, and a Retry-After within the one-minute window. */
  private static io.restassured.specification.ResponseSpecification tooMany(String type) {
    return new io.restassured.builder.ResponseSpecBuilder()
        .expectStatusCode(429)
        .expectHeader("Retry-After", org.hamcrest.Matchers.matchesPattern("[1-9]|[1-5][0-9]|60"))
        .expectContentType("application/problem+json")
        .expectBody("type", equalTo("urn:mailroom:problem:" + type))
        .build();
  }

  @Test
  void theFourthCredentialCheckInAMinuteIs429WithRetryAfter() {
    String admin = Tokens.of("admin");
    // wrong-password fails at the (fake) server: nothing is saved, but each is a login attempt.
    for (int i = 0; i < 3; i++) {
      given()
          .auth()
          .oauth2(admin)
          .contentType(ContentType.JSON)
          .body(BODY.formatted("wrong-password"))
          .post("/api/accounts")
          .then()
          .statusCode(422);
    }
    given()
        .auth()
        .oauth2(admin)
        .contentType(ContentType.JSON)
        .body(BODY.formatted("wrong-password"))
        .post("/api/accounts")
        .then()
        .spec(tooMany("too-many-credential-checks"));
    // The limit is per user.
    given()
        .auth()
        .oauth2(Tokens.of("eve"))
        .contentType(ContentType.JSON)
        .body(BODY.formatted("wrong-password"))
        .post("/api/accounts")
        .then()
        .statusCode(422);
  }

  @Test
  void theFourthSearchInAMinuteIs429WithRetryAfterForThatUserOnly() {
    String admin = Tokens.of("admin");
    // Whatever the three answer (the search service is not part of this test), none is a 429.
    for (int i = 0; i < 3; i++) {
      given()
          .auth()
          .oauth2(admin)
          .queryParam("q", "quarterly")
          .get("/api/search")
          .then()
          .statusCode(org.hamcrest.Matchers.not(429));
    }
    given()
        .auth()
        .oauth2(admin)
        .queryParam("q", "quarterly")
        .get("/api/search")
        .then()
        .spec(tooMany("too-many-searches"))
        .body("detail", containsString("at most 3 searches per 60 s"));
    given()
        .auth()
        .oauth2(Tokens.of("eve"))
        .queryParam("q", "quarterly")
        .get("/api/search")
        .then()
        .statusCode(org.hamcrest.Matchers.not(429));
  }

  @Test
  void aUserWithTheMostAccountsAllowedCannotAddOne() {
    String demo = Tokens.subjectOf("demo");
    FakeSyncResource.store(UUID.randomUUID().toString(), demo, "one");
    FakeSyncResource.store(UUID.randomUUID().toString(), demo, "two");
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .contentType(ContentType.JSON)
        .body(BODY.formatted("x"))
        .post("/api/accounts")
        .then()
        .statusCode(429)
        .header("Retry-After", equalTo("86400"))
        .body("type", equalTo("urn:mailroom:problem:too-many-accounts"))
        .body("detail", containsString("DELETE /api/accounts/{id}"));
  }
}
