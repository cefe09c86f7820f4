package dev.mailroom.sync.change;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailroom.events.EventCodec;
import dev.mailroom.events.command.CommandAction;
import dev.mailroom.events.command.CommandRequested;
import dev.mailroom.events.command.CommandTarget;
import dev.mailroom.events.command.FlagEdit;
import dev.mailroom.events.mail.CommandFailed;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.MailboxPath;
import dev.mailroom.events.model.ModSeq;
import dev.mailroom.events.model.Uid;
import dev.mailroom.events.model.UidValidity;
import dev.mailroom.events.outbox.MessageSendFailed;
import dev.mailroom.events.outbox.MessageSent;
import dev.mailroom.events.testing.ServiceTokens;
import dev.mailroom.events.testing.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A command's outcome and a message's sending reach the change log (and so GET /api/events) as they
 * are committed, with the facts of that moment, and a replayed outcome that changes nothing adds
 * nothing. Real Kafka topics and a real PostgreSQL.
 */
@QuarkusTest
class CommandAndSendChangesTest {

  static final TestKafka kafka = TestKafka.shared();

  @ConfigProperty(name = "mailroom.topic.mail")
  String mailTopic;

  @ConfigProperty(name = "mailroom.topic.commands")
  String commandTopic;

  @ConfigProperty(name = "mailroom.topic.outbox")
  String outboxTopic;

  @Test
  void aCommandIsPendingThenFailedWithTheServersWordsAndAReplayAddsNothing() throws Exception {
    AccountId id = AccountId.random();
    CommandRequested read =
        new CommandRequested(
            id,
            UUID.randomUUID().toString(),
            CommandAction.FLAGS,
            List.of(
                new CommandTarget(
                    MailboxPath.INBOX, UidValidity.of(7), Uid.of(1), ModSeq.of(3), List.of())),
            new FlagEdit(List.of("\\Seen"), List.of()),
            null,
            null,
            "key-1",
            "owner",
            Instant.now());
    kafka.send(commandTopic, read);
    JsonPath pending = awaitChanges(id, 0, 1);
    assertThat(pending.getString("changes[0].kind")).isEqualTo("command.pending");
    assertThat(pending.getString("changes[0].payload.commandId")).isEqualTo(read.commandId());
    assertThat(pending.getString("changes[0].payload.action")).isEqualTo("FLAGS");
    long cursor = pending.getLong("cursor");

    CommandFailed failed =
        new CommandFailed(
            id,
            read.commandId(),
            CommandFailed.Reason.SERVER_REFUSED,
            "NO [CANNOT] Mailbox is read-only",
            0,
            Instant.now());
    kafka.send(mailTopic, failed);
    // Resumed from the cursor, as Last-Event-ID does: only what came after.
    JsonPath outcome = awaitChanges(id, cursor, 1);
    assertThat(outcome.getList("changes.kind")).containsExactly("command.failed");
    assertThat(outcome.getString("changes[0].payload.reason")).isEqualTo("SERVER_REFUSED");
    assertThat(outcome.getString("changes[0].payload.detail"))
        .isEqualTo("NO [CANNOT] Mailbox is read-only");

    kafka.send(mailTopic, failed); // a replay: the store does not change, the log neither
    kafka.send(commandTopic, read);
    Thread.sleep(1500);
    assertThat(changes(id, 0).getList("changes.kind"))
        .containsExactly("command.pending", "command.failed");
  }

  @Test
  void aSendIsQueuedRetriedAndSentAndAnOlderOutcomeAddsNothing() throws Exception {
    AccountId id = AccountId.random();
    UUID outboxId = UUID.randomUUID();
    String messageId = "<" + outboxId + "@example.com>";
    RestAssured.given()
        .auth()
        .oauth2(ServiceTokens.gateway())
        .contentType(ContentType.JSON)
        .body(
            EventCodec.mapper()
                .writeValueAsString(
                    Map.of(
                        "id",
                        outboxId,
                        "messageId",
                        messageId,
                        "envelopeFrom",
                        "me@example.com",
                        "recipients",
                        List.of("you@example.com"),
                        "subject",
                        "Hello",
                        "mime",
                        "Subject: Hello\r\n\r\nHi".getBytes(StandardCharsets.US_ASCII))))
        .post("/internal/accounts/{a}/outbox", id.toString())
        .then()
        .statusCode(201);
    JsonPath queued = changes(id, 0);
    assertThat(queued.getList("changes.kind")).containsExactly("outbox.queued");
    assertThat(queued.getString("changes[0].payload.outboxId")).isEqualTo(outboxId.toString());

    Instant t = Instant.now();
    MessageSendFailed deferred =
        new MessageSendFailed(
            id, outboxId, messageId, false, 421, "421 try again later", 1, t.plusSeconds(2), t);
    kafka.send(outboxTopic, deferred);
    JsonPath retrying = awaitChanges(id, queued.getLong("cursor"), 1);
    assertThat(retrying.getString("changes[0].kind")).isEqualTo("outbox.retrying");
    assertThat(retrying.getInt("changes[0].payload.attempts")).isEqualTo(1);
    assertThat(retrying.getString("changes[0].payload.lastReason"))
        .isEqualTo("421 try again later");

    kafka.send(
        outboxTopic,
        new MessageSent(
            id, outboxId, messageId, "250 2.0.0 Ok", 2, "Sent", null, t.plusSeconds(3)));
    kafka.send(outboxTopic, deferred); // older, read late: changes nothing, logs nothing
    JsonPath sent = awaitChanges(id, retrying.getLong("cursor"), 1);
    assertThat(sent.getString("changes[0].kind")).isEqualTo("outbox.sent");
    assertThat(sent.getString("changes[0].payload.smtpReply")).isEqualTo("250 2.0.0 Ok");
    Thread.sleep(1500);
    assertThat(changes(id, 0).getList("changes.kind"))
        .containsExactly("outbox.queued", "outbox.retrying", "outbox.sent");
  }

  private static JsonPath awaitChanges(AccountId id, long after, int count) {
    return await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> changes(id, after), page -> page.getList("changes").size() >= count);
  }

  private static JsonPath changes(AccountId id, long after) {
    return RestAssured.given()
        .auth()
        .oauth2(ServiceTokens.gateway())
        .queryParam("after", after)
        .get("/internal/accounts/{id}/changes", id.toString())
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }
}
