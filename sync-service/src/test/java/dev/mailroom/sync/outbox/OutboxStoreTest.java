package dev.mailroom.sync.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.mailroom.events.EventCodec;
import dev.mailroom.events.EventType;
import dev.mailroom.events.cloudevents.CloudEventHeaders;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.outbox.MessageSendFailed;
import dev.mailroom.events.outbox.MessageSent;
import dev.mailroom.events.outbox.SendRequested;
import dev.mailroom.events.testing.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The outbox in PostgreSQL (ADR 0006): queued once per Idempotency-Key, relayed to the outbox topic
 * as a reference, its MIME served byte for byte, and moved forward only by later outcomes.
 */
@QuarkusTest
class OutboxStoreTest {

  static final TestKafka kafka = TestKafka.shared();

  @ConfigProperty(name = "mailroom.topic.outbox")
  String outboxTopic;

  private static Map<String, Object> request(UUID id, String key, byte[] mime) {
    Map<String, Object> body =
        new java.util.HashMap<>(
            Map.of(
                "id",
                id,
                "messageId",
                "<" + id + "@example.com>",
                "envelopeFrom",
                "me@example.com",
                "recipients",
                List.of("you@example.com"),
                "subject",
                "Hello",
                "mime",
                mime));
    body.put("idempotencyKey", key);
    return body;
  }

  private static io.restassured.response.ValidatableResponse queue(
      AccountId account, Map<String, Object> body) throws Exception {
    return asGateway()
        .contentType(ContentType.JSON)
        .body(EventCodec.mapper().writeValueAsString(body))
        .post("/internal/accounts/{a}/outbox", account.toString())
        .then();
  }

  @Test
  void aMessageIsQueuedOncePerIdempotencyKeyAndRelayedAsAReference() throws Exception {
    AccountId account = AccountId.random();
    UUID first = UUID.randomUUID();
    byte[] mime =
        ("Subject: Hello\r\nMessage-ID: <"
                + first
                + "@example.com>\r\n\r\n"
                + "x".repeat(2_000_000))
            .getBytes(StandardCharsets.US_ASCII);
    Map<String, Object> body = request(first, "key-1", mime);
    body.put("sentMailbox", "Gesendet"); // the Sent role as the gateway resolved it
    queue(account, body)
        .statusCode(201)
        .body("id", equalTo(first.toString()))
        .body("sentMailbox", equalTo("Gesendet"))
        .body("state", equalTo("queued"))
        .body("sizeBytes", equalTo(mime.length));
    // The retry of the same request (another id, the same key): the first message, not a second.
    queue(account, request(UUID.randomUUID(), "key-1", mime))
        .statusCode(200)
        .body("id", equalTo(first.toString()));
    asGateway()
        .get("/internal/accounts/{a}/outbox", account.toString())
        .then()
        .body("size()", equalTo(1));

    byte[] served =
        asGateway()
            .get("/internal/accounts/{a}/outbox/{id}/mime", account.toString(), first)
            .then()
            .statusCode(200)
            .extract()
            .asByteArray();
    assertThat(served).isEqualTo(mime);

    var requests =
        kafka.readUntil(
            outboxTopic,
            seen ->
                seen.stream()
                    .anyMatch(
                        r ->
                            account.toString().equals(r.key())
                                && EventType.SEND_REQUESTED
                                    .ceType()
                                    .equals(TestKafka.header(r, CloudEventHeaders.TYPE))),
            Duration.ofSeconds(20));
    var record =
        requests.stream().filter(r -> account.toString().equals(r.key())).findFirst().orElseThrow();
    // A reference only: a 2 MB message would not fit a Kafka record of the default 1 MiB.
    assertThat(record.value().length).isLessThan(1000);
    SendRequested sent =
        (SendRequested) EventCodec.decode(EventType.SEND_REQUESTED.ceType(), record.value());
    assertThat(sent.outboxId()).isEqualTo(first);
    assertThat(sent.sizeBytes()).isEqualTo(mime.length);
  }

  @Test
  void outcomesMoveTheStateForwardAndReplaysChangeNothing() throws Exception {
    AccountId account = AccountId.random();
    UUID id = UUID.randomUUID();
    queue(account, request(id, null, "Subject: x\r\n\r\nx".getBytes(StandardCharsets.US_ASCII)))
        .statusCode(201);
    String messageId = "<" + id + "@example.com>";
    Instant t = Instant.now();
    var deferred =
        new MessageSendFailed(
            account, id, messageId, false, 0, "connection refused", 1, t.plusSeconds(2), t);
    kafka.send(outboxTopic, deferred);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                asGateway()
                    .get("/internal/accounts/{a}/outbox/{id}", account.toString(), id)
                    .then()
                    .body("state", equalTo("retrying"))
                    .body("attempts", equalTo(1))
                    .body("lastReason", equalTo("connection refused")));

    kafka.send(
        outboxTopic,
        new MessageSent(
            account,
            id,
            messageId,
            "250 2.0.0 Ok: queued as ABC",
            2,
            "Sent",
            null,
            t.plusSeconds(3)));
    // Replayed after the success: an older failure must not undo it.
    kafka.send(outboxTopic, deferred);
    kafka.send(
        outboxTopic,
        new MessageSendFailed(account, id, messageId, true, 554, "554 late", 3, null, t));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                asGateway()
                    .get("/internal/accounts/{a}/outbox/{id}", account.toString(), id)
                    .then()
                    .body("state", equalTo("sent"))
                    .body("smtpReply", equalTo("250 2.0.0 Ok: queued as ABC"))
                    .body("sentCopyMailbox", equalTo("Sent")));
    Thread.sleep(1500);
    asGateway()
        .get("/internal/accounts/{a}/outbox/{id}", account.toString(), id)
        .then()
        .body("state", equalTo("sent"))
        .body("attempts", equalTo(2));
  }

  @jakarta.inject.Inject OutboxPruner pruner;

  @Test
  void finishedMessagesOlderThanTheRetentionArePrunedWithTheirMime() throws Exception {
    AccountId account = AccountId.random();
    byte[] mime = "Subject: x\r\n\r\nx".getBytes(StandardCharsets.US_ASCII);
    Map<UUID, String> states = new java.util.LinkedHashMap<>();
    UUID oldSent = UUID.randomUUID(), oldFailed = UUID.randomUUID();
    UUID oldRetrying = UUID.randomUUID(), newSent = UUID.randomUUID();
    states.put(oldSent, "sent");
    states.put(oldFailed, "failed");
    states.put(oldRetrying, "retrying");
    states.put(newSent, "sent");
    Instant old = Instant.now().minus(Duration.ofDays(8));
    for (var e : states.entrySet()) {
      queue(account, request(e.getKey(), null, mime)).statusCode(201);
      Instant at = e.getKey().equals(newSent) ? Instant.now().minus(Duration.ofDays(6)) : old;
      io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
          .run(
              () ->
                  OutboxMessage.update(
                      "state = ?1, updatedAt = ?2 where id = ?3", e.getValue(), at, e.getKey()));
    }
    assertThat(pruner.prune()).isGreaterThanOrEqualTo(2);
    for (UUID gone : List.of(oldSent, oldFailed)) {
      asGateway()
          .get("/internal/accounts/{a}/outbox/{id}/mime", account.toString(), gone)
          .then()
          .statusCode(404);
    }
    // Still sending, or within the retention (7 days): kept.
    assertThat(
            asGateway()
                .get("/internal/accounts/{a}/outbox", account.toString())
                .jsonPath()
                .getList("id"))
        .containsExactlyInAnyOrder(oldRetrying.toString(), newSent.toString());
  }

  /** As the gateway calls it: with the gateway's own service token (ADR 0007). */
  private static io.restassured.specification.RequestSpecification asGateway() {
    return io.restassured.RestAssured.given()
        .auth()
        .oauth2(dev.mailroom.events.testing.ServiceTokens.gateway());
  }
}
