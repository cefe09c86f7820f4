package dev.mailroom.gateway.message;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.mailroom.gateway.testing.FakeSyncResource;
import dev.mailroom.gateway.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Message detail and conversations through the gateway, owner-checked (FakeChangeLog as the store).
 */
@QuarkusTest
class MessageDetailTest {

  @Test
  void theOwnerReadsTheMessageAndItsConversationAndNobodyElseDoes() {
    String id = UUID.randomUUID().toString();
    FakeSyncResource.store(id, Tokens.subjectOf("demo"), "Detail");
    var m =
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
            .objectNode()
            .put("id", "mid:abc")
            .put("subject", "Quarterly report")
            .put("textBody", "Numbers attached.")
            .put("htmlBody", "<p>Numbers attached.</p>")
            .put("threadId", "t1");
    m.putArray("attachments")
        .addObject()
        .put("part", "2")
        .put("filename", "q3.pdf")
        .put("contentType", "application/pdf")
        .put("size", 12345);
    FakeSyncResource.MESSAGES.put("mid:abc", m);
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .get("/api/accounts/{id}/messages/{m}", id, "mid:abc")
        .then()
        .statusCode(200)
        .body("textBody", equalTo("Numbers attached."))
        .body("htmlBody", equalTo("<p>Numbers attached.</p>"))
        .body("attachments[0].filename", equalTo("q3.pdf"));
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .get("/api/accounts/{id}/conversations/t1", id)
        .then()
        .statusCode(200)
        .body("messages[0].id", equalTo("mid:1"));

    given()
        .auth()
        .oauth2(Tokens.of("eve"))
        .get("/api/accounts/{id}/messages/{m}", id, "mid:abc")
        .then()
        .statusCode(404)
        .body("detail", equalTo("there is no account " + id + " among yours"));
    given()
        .auth()
        .oauth2(Tokens.of("eve"))
        .get("/api/accounts/{id}/conversations/t1", id)
        .then()
        .statusCode(404);
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .get("/api/accounts/{id}/messages/{m}", id, "nope")
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .get("/api/accounts/{id}/messages/{m}", id, "a b")
        .then()
        .statusCode(404);
    given().get("/api/accounts/{id}/messages/{m}", id, "mid:abc").then().statusCode(401);
  }
}
