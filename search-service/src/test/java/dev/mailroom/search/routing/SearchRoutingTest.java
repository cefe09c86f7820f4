package dev.mailroom.search.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import dev.mailroom.events.EventCodec;
import dev.mailroom.events.cloudevents.CloudEventHeaders;
import dev.mailroom.events.connection.ConnectionEstablished;
import dev.mailroom.events.mail.MailboxStatus;
import dev.mailroom.events.mail.MessageAdded;
import dev.mailroom.events.mail.SyncProgress;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.EmailAddress;
import dev.mailroom.events.model.MailboxPath;
import dev.mailroom.events.model.Uid;
import dev.mailroom.events.model.UidValidity;
import dev.mailroom.events.search.SearchReplied;
import dev.mailroom.events.search.SearchRequested;
import dev.mailroom.events.testing.TestKafka;
import dev.mailroom.search.index.LocalSearch;
import dev.mailroom.search.server.ServerSearches;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Routing through search-service's API on the real Kafka and PostgreSQL: the local route with a
 * misspelled word, the server-fuzzy route and its deadline fallback, the not-synced mailbox asked
 * of the server too, and bad queries. Where a server answers here, this test plays the connector's
 * part of the request/reply contract (connector-service's ServerSearchTest runs the real one
 * against Dovecot); the contract itself is pinned by the events module's fixtures.
 */
@QuarkusTest
class SearchRoutingTest {

  static final TestKafka kafka = TestKafka.shared();
  static final UidValidity V = UidValidity.of(7);

  @Inject ServerSearches server;
  @Inject LocalSearch local;

  @ConfigProperty(name = "mailroom.topic.mail")
  String mailTopic;

  @ConfigProperty(name = "mailroom.topic.connection")
  String connectionTopic;

  @ConfigProperty(name = "mailroom.topic.search-requests")
  String requestTopic;

  @ConfigProperty(name = "mailroom.topic.search-replies")
  String replyTopic;

  @BeforeEach
  void topics() throws Exception {
    kafka.createTopic(requestTopic, 3);
    kafka.createTopic(replyTopic, 3);
    await(server::listening);
  }

  @Test
  void readyOnlyOnceRepliesAreRead() {
    asGateway()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body(
            "checks.find { it.name == 'search-replies' }.status",
            org.hamcrest.Matchers.equalTo("UP"));
  }

  @Test
  void badQueriesAreRefusedNamingTheProblem() {
    String id = AccountId.random().toString();
    asGateway()
        .get("/internal/search/accounts/" + id + "?q=")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("detail", containsString("empty"));
    asGateway()
        .queryParam("q", "x".repeat(600))
        .get("/internal/search/accounts/" + id)
        .then()
        .statusCode(400)
        .body("detail", containsString("600 characters"));
    asGateway()
        .queryParam("q", "form:anna")
        .get("/internal/search/accounts/" + id)
        .then()
        .statusCode(400)
        .body("detail", containsString("unknown field 'form:'"));
    asGateway()
        .queryParam("q", "x")
        .queryParam("limit", 1000)
        .get("/internal/search/accounts/" + id)
        .then()
        .statusCode(400)
        .body("detail", containsString("limit"));
    asGateway()
        .queryParam("q", "x")
        .queryParam("cursor", "nonsense")
        .get("/internal/search/accounts/" + id)
        .then()
        .statusCode(400)
        .body("detail", containsString("cursor"));
    asGateway()
        .queryParam("q", "x")
        .get("/internal/search/accounts/not-a-uuid")
        .then()
        .statusCode(400);
  }

  @Test
  void withoutSearchFuzzyTheLocalIndexAnswersAndForgivesATypo() throws Exception {
    AccountId id = AccountId.random();
    kafka.send(
        connectionTopic,
        new ConnectionEstablished(
            id, List.of("IMAP4rev1", "ESEARCH", "SNIPPET=FUZZY"), Instant.now()));
    for (int uid = 1; uid <= 3; uid++) {
      kafka.send(
          mailTopic, added(id, uid, "Expedition " + uid, "The kangaroo count for day " + uid));
    }
    kafka.send(
        mailTopic,
        new MailboxStatus(id, MailboxPath.INBOX, "/", null, V, 4, null, 3, 0, Instant.now()));
    await(() -> !local.behind(id, null) && local.capabilities(id).contains("ESEARCH"));
    await(
        () ->
            accountSearch(id, "kangaroo", null).getList("results").size() == 3
                && !accountSearch(id, "kangaroo", null).getBoolean("partial"));

    JsonPath page1 =
        asGateway()
            .queryParam("q", "kangarro")
            .queryParam("limit", 2)
            .get("/internal/search/accounts/" + id)
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(page1.getString("route")).isEqualTo("local");
    assertThat(page1.getBoolean("partial")).isFalse();
    assertThat(page1.getList("results.identity"))
        .hasSize(2)
        .allMatch(i -> ((String) i).startsWith("mid:"));
    JsonPath page2 =
        asGateway()
            .queryParam("q", "kangarro")
            .queryParam("limit", 2)
            .queryParam("cursor", page1.getString("nextCursor"))
            .get("/internal/search/accounts/" + id)
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(page2.getList("results")).hasSize(1);
    assertThat(page2.getString("nextCursor")).isNull();
    assertThat(page1.getList("results.uid"))
        .doesNotContainAnyElementsOf(page2.getList("results.uid"));
  }

  @Test
  void searchFuzzyGoesToTheServerAndASilentServerGivesThePartialLocalAnswerAtTheDeadline()
      throws Exception {
    AccountId id = AccountId.random();
    kafka.send(
        connectionTopic,
        new ConnectionEstablished(
            id, List.of("IMAP4rev1", "ESEARCH", "SEARCH=FUZZY"), Instant.now()));
    kafka.send(mailTopic, added(id, 1, "Zebra", "A zebra crossed"));
    kafka.send(
        mailTopic,
        new MailboxStatus(id, MailboxPath.INBOX, "/", null, V, 2, null, 1, 0, Instant.now()));
    await(() -> !local.behind(id, null) && local.capabilities(id).contains("SEARCH=FUZZY"));

    // Nobody answers: after the 2 s deadline, the local index's answer, marked partial.
    long start = System.nanoTime();
    JsonPath silent = accountSearch(id, "zebra", null);
    long took = (System.nanoTime() - start) / 1_000_000;
    assertThat(silent.getString("route")).isEqualTo("local");
    assertThat(silent.getBoolean("partial")).isTrue();
    assertThat(silent.getString("notes[0]")).contains("did not answer within 2000 ms");
    assertThat(silent.getList("results")).hasSize(1);
    assertThat(took).isBetween(1900L, 6000L);

    // Playing the connector: the request carries FUZZY and the parsed terms; the reply's
    // locations are mapped to the stored message, with the server's relevancy.
    Instant before = Instant.now();
    Thread responder =
        Thread.ofVirtual()
            .start(
                () ->
                    answerOnce(
                        id,
                        before,
                        true,
                        List.of(
                            new SearchReplied.Hit(MailboxPath.INBOX, V, Uid.of(1), 88),
                            new SearchReplied.Hit(MailboxPath.INBOX, V, Uid.of(99), 40))));
    JsonPath answered = accountSearch(id, "zebbra", null);
    responder.join(10_000);
    assertThat(answered.getString("route")).isEqualTo("server-fuzzy");
    assertThat(answered.getBoolean("partial")).isFalse();
    assertThat(answered.getList("results.uid")).containsExactly(1, 99);
    assertThat(answered.getList("results.relevancy")).containsExactly(88, 40);
    assertThat(answered.getString("results[0].identity")).isEqualTo("mid:<1@t>");
    assertThat(answered.getString("results[1].identity")).as("not stored yet").isNull();
  }

  @Test
  void aMailboxNotFullySyncedIsAlsoSearchedOnTheServerWithoutFuzzy() throws Exception {
    AccountId id = AccountId.random();
    kafka.send(
        connectionTopic,
        new ConnectionEstablished(id, List.of("IMAP4rev1", "ESEARCH"), Instant.now()));
    kafka.send(mailTopic, new SyncProgress(id, MailboxPath.INBOX, V, 1, 500, Instant.now()));
    kafka.send(mailTopic, added(id, 1, "Walrus", "walrus one"));
    await(
        () ->
            local.capabilities(id).contains("ESEARCH")
                && local
                        .search(id, dev.mailroom.search.query.QueryParser.parse("walrus"), 0, 5)
                        .size()
                    == 1);

    Instant before = Instant.now();
    Thread responder =
        Thread.ofVirtual()
            .start(
                () ->
                    answerOnce(
                        id,
                        before,
                        false,
                        List.of(
                            new SearchReplied.Hit(MailboxPath.INBOX, V, Uid.of(450), null),
                            new SearchReplied.Hit(MailboxPath.INBOX, V, Uid.of(1), null))));
    JsonPath answer = accountSearch(id, "walrus", null);
    responder.join(10_000);
    assertThat(answer.getString("route")).isEqualTo("server");
    assertThat(answer.getBoolean("partial")).isTrue();
    assertThat(answer.getList("notes")).anyMatch(n -> ((String) n).contains("not fully synced"));
    assertThat(answer.getList("results.uid")).containsExactly(450, 1);
  }

  /**
   * Reads the account's next request (sent after this call) and answers it as the connector would.
   */
  private void answerOnce(
      AccountId id, Instant after, boolean expectFuzzy, List<SearchReplied.Hit> hits) {
    var records =
        kafka.readUntil(
            requestTopic,
            seen -> requests(seen, id, after).findAny().isPresent(),
            Duration.ofSeconds(10));
    var request = requests(records, id, after).findFirst().orElseThrow();
    assertThat(request.fuzzy()).isEqualTo(expectFuzzy);
    assertThat(request.deadline()).isAfter(request.requestedAt());
    kafka.send(
        replyTopic,
        new SearchReplied(
            id,
            request.correlationId(),
            expectFuzzy ? "server-fuzzy" : "server",
            hits,
            true,
            null,
            12,
            Instant.now()));
  }

  private static java.util.stream.Stream<SearchRequested> requests(
      List<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>> records,
      AccountId id,
      Instant after) {
    return records.stream()
        .filter(r -> id.toString().equals(r.key()))
        .map(
            r ->
                (SearchRequested)
                    EventCodec.decode(TestKafka.header(r, CloudEventHeaders.TYPE), r.value()))
        .filter(r -> !r.requestedAt().isBefore(after));
  }

  private static JsonPath accountSearch(AccountId id, String q, String cursor) {
    var spec = asGateway().queryParam("q", q);
    if (cursor != null) {
      spec = spec.queryParam("cursor", cursor);
    }
    return spec.get("/internal/search/accounts/" + id).then().statusCode(200).extract().jsonPath();
  }

  static MessageAdded added(AccountId id, long uid, String subject, String text) {
    return new MessageAdded(
        id,
        MailboxPath.INBOX,
        V,
        Uid.of(uid),
        null,
        "mid:<" + uid + "@t>",
        "<" + uid + "@t>",
        subject,
        List.of(new EmailAddress("Ranger", "ranger@example.com")),
        List.of(),
        List.of(),
        Instant.parse("2026-10-0" + uid + "T10:00:00Z"),
        null,
        100,
        List.of(),
        null,
        List.of(),
        text,
        text,
        null,
        List.of());
  }

  static void await(Callable<Boolean> condition) throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.call()) {
      assertThat(System.nanoTime()).as("condition within 30 s").isLessThan(end);
      Thread.sleep(100);
    }
  }

  /** As the gateway calls it: with the gateway's own service token (ADR 0007). */
  private static io.restassured.specification.RequestSpecification asGateway() {
    return io.restassured.RestAssured.given()
        .auth()
        .oauth2(dev.mailroom.events.testing.ServiceTokens.gateway());
  }
}
