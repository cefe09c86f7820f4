package dev.mailroom.gateway.access;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailroom.gateway.testing.FakeChangeLog;
import dev.mailroom.gateway.testing.FakeSyncResource;
import dev.mailroom.gateway.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Walks every operation of the OpenAPI document the gateway serves (read at test time, so an
 * endpoint added later is walked too) as no user, as another user and, for admin operations, as a
 * plain user: 401 without a token; for someone else's account 403 or 404 and never a byte of its
 * data; admin operations 403 for users.
 */
@QuarkusTest
class OpenApiWalkTest {

  /** Appears only in demo's account and its data: finding it in eve's answers means a leak. */
  private static final String MARKER = "Demo-private-" + UUID.randomUUID();

  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

  record Operation(String method, String path, JsonNode spec) {
    boolean admin() {
      return path.startsWith("/api/admin");
    }

    boolean stream() {
      // Streams stay open: walked for 401 only here (LiveEventsTest checks other users' streams).
      return spec.path("responses").toString().contains("event-stream")
          || path.equals("/api/events");
    }

    @Override
    public String toString() {
      return method.toUpperCase() + " " + path;
    }
  }

  private List<Operation> operations() throws Exception {
    JsonNode doc =
        new ObjectMapper()
            .readTree(
                given()
                    .accept("application/json")
                    .get("/q/openapi?format=json")
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString());
    List<Operation> all = new ArrayList<>();
    doc.path("paths")
        .fields()
        .forEachRemaining(
            path ->
                path.getValue()
                    .fields()
                    .forEachRemaining(
                        op -> {
                          if (METHODS.contains(op.getKey()) && path.getKey().startsWith("/api/")) {
                            all.add(new Operation(op.getKey(), path.getKey(), op.getValue()));
                          }
                        }));
    return all;
  }

  /** Path parameters: {id} is demo's account, the others name things inside it. */
  private static String url(Operation op, String accountId) {
    return op.path()
        .replace("{id}", accountId)
        .replace("{messageId}", "mid:1")
        .replace("{threadId}", "t1")
        .replace("{name}", "fastmail")
        .replaceAll("\\{[^}]+}", "x");
  }

  /** A body that passes validation where the walk knows the operation; "{}" otherwise. */
  private static String body(Operation op) {
    if (op.path().endsWith("/password")) {
      return "{\"password\": \"a-new-password\"}";
    }
    if (op.path().endsWith("/certificate")) {
      return "{\"certificateSha256\": \"" + "ab".repeat(32) + "\"}";
    }
    if (op.path().endsWith("/host")) {
      return "{\"host\": \"imap.other.example\"}";
    }
    if (op.method().equals("patch") && op.path().equals("/api/accounts/{id}")) {
      return "{\"displayName\": \"taken over\"}";
    }
    if (op.method().equals("patch") && op.path().endsWith("/messages/{messageId}")) {
      return "{\"seen\": true}";
    }
    if (op.path().endsWith("/move")) {
      return "{\"role\": \"archive\"}";
    }
    if (op.method().equals("post") && op.path().endsWith("/outbox")) {
      return "{\"to\": [\"someone@example.com\"], \"subject\": \"taken over\", \"text\": \"x\"}";
    }
    return "{}";
  }

  private static Response call(Operation op, String token, String accountId) {
    RequestSpecification request = given().redirects().follow(false);
    if (token != null) {
      request.auth().oauth2(token);
    }
    // Required query parameters get a valid value, so the walk reaches the owner check.
    for (JsonNode parameter : op.spec().path("parameters")) {
      if (parameter.path("in").asText().equals("query") && parameter.path("required").asBoolean()) {
        String name = parameter.path("name").asText();
        request.queryParam(name, name.equals("mailbox") ? "INBOX" : "x");
      }
    }
    if (Set.of("put", "post", "patch").contains(op.method())) {
      request
          .contentType("application/json")
          .header("Idempotency-Key", UUID.randomUUID().toString())
          .body(body(op));
    }
    return request.request(op.method(), url(op, accountId));
  }

  @Test
  void everyOperationKeepsOutTheAnonymousTheOtherUserAndNonAdmins() throws Exception {
    String demosAccount = UUID.randomUUID().toString();
    FakeSyncResource.store(demosAccount, Tokens.subjectOf("demo"), MARKER);
    FakeChangeLog.append(demosAccount, "message.added", MARKER, 1);
    List<Operation> operations = operations();
    assertThat(operations)
        .extracting(Operation::toString)
        .contains(
            "GET /api/accounts",
            "DELETE /api/accounts/{id}",
            "GET /api/events",
            "GET /api/accounts/{id}/messages/{messageId}",
            "POST /api/admin/accounts/{id}/host");
    List<String> walked = new ArrayList<>();
    for (Operation op : operations) {
      // No token: 401, before anything else (a body that would not validate included).
      assertThat(call(op, null, demosAccount).statusCode())
          .as("%s without a token", op)
          .isEqualTo(401);

      if (op.admin()) {
        Response asUser = call(op, Tokens.of("demo"), demosAccount);
        assertThat(asUser.statusCode()).as("%s as a plain user", op).isEqualTo(403);
        walked.add(op + " 403 for users");
        continue;
      }
      if (op.stream()) {
        walked.add(op + " (stream, see LiveEventsTest for other users)");
        continue;
      }
      Response asEve = call(op, Tokens.of("eve"), demosAccount);
      String body = asEve.asString();
      assertThat(body).as("%s as eve leaks demo's data", op).doesNotContain(MARKER);
      if (op.path().contains("{id}")) {
        boolean knownBody =
            !body(op).equals("{}") || !Set.of("put", "post", "patch").contains(op.method());
        // An operation the walk has no body for may refuse the body before the owner check (400,
        // 415, 422): that tells nothing about the account either.
        Set<Integer> allowed = knownBody ? Set.of(403, 404) : Set.of(400, 403, 404, 415, 422);
        assertThat(allowed)
            .as("%s on demo's account as eve answered %d", op, asEve.statusCode())
            .contains(asEve.statusCode());
      }
      walked.add(op + " as eve: " + asEve.statusCode());
    }
    System.out.println("walked:\n  " + String.join("\n  ", walked));
    // Demo's account is intact: no operation of eve's changed it.
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .get("/api/accounts/" + demosAccount)
        .then()
        .statusCode(200)
        .body("displayName", org.hamcrest.Matchers.equalTo(MARKER));
  }
}
