package dev.mailroom.gateway.search;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.mailroom.gateway.testing.FakeSearchResource;
import dev.mailroom.gateway.testing.FakeSyncResource;
import dev.mailroom.gateway.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Search through the gateway: the owner check comes first, answers and refusals pass through. */
@QuarkusTest
class SearchAccessTest {

  private String demos;
  private String eves;

  @BeforeEach
  void accounts() {
    demos = UUID.randomUUID().toString();
    eves = UUID.randomUUID().toString();
    FakeSyncResource.store(demos, Tokens.subjectOf("demo"), "Demo's");
    FakeSyncResource.store(eves, Tokens.subjectOf("eve"), "Eve's");
    FakeSearchResource.ASKED.clear();
  }

  @Test
  void theOwnerSearchesOneAccountWithItsRoute() {
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .queryParam("q", "kangaroo")
        .get("/api/accounts/" + demos + "/search")
        .then()
        .statusCode(200)
        .body("route", equalTo("local"))
        .body("partial", equalTo(false))
        .body("results[0].subject", equalTo("about kangaroo"))
        .body("results[0].uid", equalTo(7));
  }

  @Test
  void anotherUsersAccountIsNotFoundAndNeverSearched() {
    given()
        .auth()
        .oauth2(Tokens.of("eve"))
        .queryParam("q", "kangaroo")
        .get("/api/accounts/" + demos + "/search")
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
    assertThat(FakeSearchResource.ASKED).doesNotContain(demos);
  }

  @Test
  void searchAcrossAccountsCoversOnlyTheCallersOwn() {
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .queryParam("q", "x")
        .get("/api/search")
        .then()
        .statusCode(200)
        .body("accounts.accountId", hasItem(demos))
        .body("accounts.accountId", not(hasItem(eves)));
  }

  @Test
  void aRefusedQueryIsA400ProblemWithSearchServicesReason() {
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .queryParam("q", "")
        .get("/api/accounts/" + demos + "/search")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("detail", containsString("the query is empty"));
  }

  @Test
  void theOpenApiDocumentDescribesBothEndpoints() {
    given()
        .get("/q/openapi?format=json")
        .then()
        .statusCode(200)
        .body("paths", org.hamcrest.Matchers.hasKey("/api/accounts/{id}/search"))
        .body("paths", org.hamcrest.Matchers.hasKey("/api/search"))
        .body("components.schemas.AccountSearch.properties.route.enum", hasItem("server-fuzzy"));
  }
}
