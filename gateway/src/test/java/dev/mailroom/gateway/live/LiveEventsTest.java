package dev.mailroom.gateway.live;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.status.AccountStatus;
import dev.mailroom.events.status.AccountStatusChanged;
import dev.mailroom.events.testing.TestKafka;
import dev.mailroom.gateway.testing.FakeChangeLog;
import dev.mailroom.gateway.testing.FakeSyncResource;
import dev.mailroom.gateway.testing.Tokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * GET /api/events with real tokens (Keycloak) and a real account-status topic (Kafka); the change
 * log is {@link FakeChangeLog}, answering as sync-service's.
 */
@QuarkusTest
class LiveEventsTest {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  @TestHTTPResource("/api/events")
  URL events;

  @ConfigProperty(name = "mailroom.live.status-topic")
  String statusTopic;

  private String demos;
  private String eves;

  @BeforeEach
  void accounts() {
    demos = UUID.randomUUID().toString();
    eves = UUID.randomUUID().toString();
    FakeSyncResource.store(demos, Tokens.subjectOf("demo"), "Demo's");
    FakeSyncResource.store(eves, Tokens.subjectOf("eve"), "Eve's");
  }

  @Test
  void theOwnersChangesArriveAsCommittedAndNothingOfAnotherUser() throws Exception {
    FakeChangeLog.append(demos, "message.added", "INBOX", 1); // before the stream: not sent
    try (SseClient stream = new SseClient(events.toString(), Tokens.of("demo"), null)) {
      assertThat(stream.status).isEqualTo(200);
      assertThat(stream.next("ready", Duration.ofSeconds(10))).isNotNull();
      FakeChangeLog.append(eves, "message.added", "INBOX", 9);
      FakeChangeLog.append(demos, "message.changed", "INBOX", 2);
      SseClient.Event changed = stream.next("message.changed", Duration.ofSeconds(5));
      assertThat(changed).isNotNull();
      assertThat(changed.data())
          .contains("\"accountId\":\"" + demos + "\"", "\"uid\":2", "\"mailbox\":\"INBOX\"");
      Thread.sleep(500);
      List<SseClient.Event> rest = new ArrayList<>(stream.events);
      assertThat(rest).noneMatch(e -> e.data().contains(eves));
      assertThat(rest).noneMatch(e -> e.data().contains("\"uid\":1,"));
    }
  }

  @Test
  void aStreamResumesRightAfterItsLastEventId() throws Exception {
    String last;
    try (SseClient stream = new SseClient(events.toString(), Tokens.of("demo"), null)) {
      stream.next("ready", Duration.ofSeconds(10));
      FakeChangeLog.append(demos, "message.added", "INBOX", 10);
      SseClient.Event seen = stream.next("message.added", Duration.ofSeconds(5));
      assertThat(seen).isNotNull();
      last = seen.id();
    }
    // While the client was away:
    FakeChangeLog.append(demos, "message.added", "INBOX", 11);
    FakeChangeLog.append(demos, "message.removed", "INBOX", 10);
    try (SseClient stream = new SseClient(events.toString(), Tokens.of("demo"), last)) {
      SseClient.Event first = stream.next("message.added", Duration.ofSeconds(5));
      assertThat(first.data()).contains("\"uid\":11").doesNotContain("\"uid\":10");
      assertThat(stream.next("message.removed", Duration.ofSeconds(5)).data())
          .contains("\"uid\":10");
    }
    // Eve's stream with demo's position: demo's account is not hers, nothing of it comes.
    try (SseClient stream = new SseClient(events.toString(), Tokens.of("eve"), last)) {
      assertThat(stream.next("ready", Duration.ofSeconds(10)).data()).contains("\"accounts\":");
      Thread.sleep(500);
      assertThat(new ArrayList<>(stream.events)).noneMatch(e -> e.data().contains(demos));
    }
  }

  @Test
  void commandOutcomesAndSendsArriveWithTheirFactsAndResume() throws Exception {
    String last;
    try (SseClient stream = new SseClient(events.toString(), Tokens.of("demo"), null)) {
      stream.next("ready", Duration.ofSeconds(10));
      FakeChangeLog.appendPayload(
          eves, "command.failed", JSON.objectNode().put("commandId", "c-eve"));
      FakeChangeLog.appendPayload(
          demos,
          "command.failed",
          JSON.objectNode()
              .put("commandId", "c-1")
              .put("status", "failed")
              .put("reason", "SERVER_REFUSED")
              .put("detail", "NO [CANNOT] Mailbox is read-only"));
      SseClient.Event failed = stream.next("command.failed", Duration.ofSeconds(5));
      assertThat(failed).isNotNull();
      assertThat(failed.data())
          .contains(
              "\"accountId\":\"" + demos + "\"",
              "\"commandId\":\"c-1\"",
              "\"detail\":\"NO [CANNOT] Mailbox is read-only\"")
          .doesNotContain("\"mailbox\"", "\"uid\"", "payload", "c-eve");
      last = failed.id();
    }
    // Sent while the client was away: resumed from the change log like any change.
    FakeChangeLog.appendPayload(
        demos,
        "outbox.sent",
        JSON.objectNode().put("outboxId", "o-1").put("smtpReply", "250 2.0.0 Ok"));
    try (SseClient stream = new SseClient(events.toString(), Tokens.of("demo"), last)) {
      List<String> before = new ArrayList<>();
      SseClient.Event sent = null;
      while (sent == null) {
        SseClient.Event e = stream.events.poll(5, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(e).as("outbox.sent after %s", before).isNotNull();
        sent = e.name().equals("outbox.sent") ? e : null;
        before.add(e.name());
      }
      assertThat(before).doesNotContain("command.failed"); // sent before the Last-Event-ID
      assertThat(sent.data()).contains("\"outboxId\":\"o-1\"", "\"smtpReply\":\"250 2.0.0 Ok\"");
    }
  }

  @Test
  void accountStatusChangesAndHeartbeatsArrive() throws Exception {
    try (TestKafka kafka = TestKafka.fromEnvironment();
        SseClient stream = new SseClient(events.toString(), Tokens.of("demo"), null)) {
      stream.next("ready", Duration.ofSeconds(10));
      Thread.sleep(1500); // the status feed starts from the end of the topic
      kafka.send(
          statusTopic,
          new AccountStatusChanged(
              AccountId.of(eves),
              AccountStatus.DISCONNECTED,
              Instant.now(),
              null,
              "eve's",
              Instant.now()));
      kafka.send(
          statusTopic,
          new AccountStatusChanged(
              AccountId.of(demos),
              AccountStatus.DISCONNECTED,
              Instant.now(),
              null,
              "gone for 30 minutes",
              Instant.now()));
      SseClient.Event status = stream.next("account.status", Duration.ofSeconds(10));
      assertThat(status).isNotNull();
      assertThat(status.data()).contains(demos, "\"status\":\"disconnected\"").doesNotContain(eves);
      // %test.mailroom.live.heartbeat=1s
      assertThat(stream.comments.poll(5, java.util.concurrent.TimeUnit.SECONDS))
          .startsWith("heartbeat");
    }
  }

  @Test
  void aForeignOrForgedLastEventIdIs400AndNoTokenIs401() {
    given()
        .auth()
        .oauth2(Tokens.of("demo"))
        .header("Last-Event-ID", "not a position")
        .get("/api/events")
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
    given().get("/api/events").then().statusCode(401);
  }
}
