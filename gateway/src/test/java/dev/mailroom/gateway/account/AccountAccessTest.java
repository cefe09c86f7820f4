package dev.mailroom.gateway.account;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import dev.mailroom.gateway.testing.FakeSyncResource;
import dev.mailroom.gateway.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reads through the gateway, with {@link FakeSyncResource} answering as sync-service. Every read
 * must be the owner's only: another user gets the same 404 as for an account that does not exist.
 */
@QuarkusTest
class AccountAccessTest {

  private String demosAccount;

  @BeforeEach
  void demoOwnsAnAccount() {
    demosAccount = UUID.randomUUID().toString();
    FakeSyncResource.store(demosAccount, Tokens.subjectOf("demo"), "Demo's work mail");
  }

  @AfterEach
  void syncIsUpAgain() {
    FakeSyncResource.down = false;
  }

  @Test
  void theOwnerSeesTheAccountWithoutItsOwnerId() {
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .get("/api/accounts/" + demosAccount)
        .then()
        .statusCode(200)
        .body("id", equalTo(demosAccount))
        .body("displayName", equalTo("Demo's work mail"))
        .body("ownerId", nullValue());
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .get("/api/accounts")
        .then()
        .statusCode(200)
        .body("id", hasItem(demosAccount));
  }

  @Test
  void anotherUserCannotTellTheAccountExists() {
    String eve = Tokens.of("eve");
    String foreign =
        given()
            .auth()
            .oauth2(eve)
            .get("/api/accounts/" + demosAccount)
            .then()
            .statusCode(404)
            .contentType("application/problem+json")
            .body("type", equalTo("urn:mailroom:problem:not-found"))
            .extract()
            .path("detail");
    String unknown = UUID.randomUUID().toString();
    given()
        .auth()
        .oauth2(eve)
        .get("/api/accounts/" + unknown)
        .then()
        .statusCode(404)
        .body("detail", equalTo(foreign.replace(demosAccount, unknown)));

    given()
        .auth()
        .oauth2(eve)
        .get("/api/accounts/" + demosAccount + "/mailboxes")
        .then()
        .statusCode(404);
    given()
        .auth()
        .oauth2(eve)
        .get("/api/accounts/" + demosAccount + "/messages?mailbox=INBOX")
        .then()
        .statusCode(404);
    given()
        .auth()
        .oauth2(eve)
        .get("/api/accounts")
        .then()
        .statusCode(200)
        .body("id", not(hasItem(demosAccount)));
  }

  @Test
  void anAdminListsOnlyTheirOwnAccountsToo() {
    given()
        .auth()
        .oauth2(Tokens.of("admin"))
        .get("/api/accounts")
        .then()
        .statusCode(200)
        .body("id", not(hasItem(demosAccount)));
  }

  @Test
  void routingErrorsAreProblemsToo() {
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .get("/api/nothing-here")
        .then()
        .statusCode(404)
        .contentType("application/problem+json")
        .body("status", equalTo(404));
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .contentType("text/plain")
        .body("host=imap.example.com")
        .post("/api/accounts")
        .then()
        .statusCode(415)
        .contentType("application/problem+json");
  }

  @Test
  void anIdThatIsNotAUuidIsNotFound() {
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .get("/api/accounts/not-a-uuid")
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
  }

  @Test
  void mailboxesArePassedThroughWithTheirNumbersIntact() {
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .get("/api/accounts/" + demosAccount + "/mailboxes")
        .then()
        .statusCode(200)
        .body("[0].path", equalTo("INBOX"))
        .body("[0].role", equalTo("inbox"))
        .body(containsString("\"uidValidity\":4294967295"))
        .body(containsString("\"highestModSeq\":9007199254740993"));
  }

  @Test
  void messagesForwardMailboxLimitAndCursor() {
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .get("/api/accounts/" + demosAccount + "/messages?mailbox=INBOX")
        .then()
        .statusCode(200)
        .body("items[0].subject", equalTo("asked for INBOX limit 50 cursor null"))
        .body("nextCursor", equalTo("page-2"));
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .queryParam("mailbox", "Archive/2024")
        .queryParam("limit", 7)
        .queryParam("cursor", "page-2")
        .get("/api/accounts/" + demosAccount + "/messages")
        .then()
        .statusCode(200)
        .body("items[0].subject", equalTo("asked for Archive/2024 limit 7 cursor page-2"))
        .body("nextCursor", nullValue());
  }

  @Test
  void messagesNeedAMailboxAndASaneLimit() {
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .get("/api/accounts/" + demosAccount + "/messages?limit=500")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors.field", equalTo(List.of("mailbox", "limit")))
        .body("detail", containsString("mailbox"));
  }

  @Test
  void aSyncServiceThatIsDownIsA503WithRetryAfter() {
    FakeSyncResource.down = true;
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .get("/api/accounts")
        .then()
        .statusCode(503)
        .header("Retry-After", "5")
        .contentType("application/problem+json")
        .body("detail", equalTo("the message store is not reachable, try again"));
  }

  @Test
  void openApiHealthAndMetricsNeedNoToken() {
    given()
        .get("/q/openapi?format=json")
        .then()
        .statusCode(200)
        .body(containsString("/api/accounts/{id}/messages"));
    given().get("/q/health/ready").then().statusCode(200).body(containsString("Kafka"));
    given().get("/q/health/live").then().statusCode(200);
    given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_"));
  }
}
