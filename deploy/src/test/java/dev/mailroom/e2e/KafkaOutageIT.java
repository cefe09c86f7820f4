package dev.mailroom.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailroom.events.EventCodec;
import dev.mailroom.events.Topics;
import dev.mailroom.events.cloudevents.CloudEventHeaders;
import dev.mailroom.events.connection.ConnectionFailed;
import dev.mailroom.events.connection.FailureCategory;
import dev.mailroom.events.mail.MailboxStatus;
import dev.mailroom.events.mail.MessageAdded;
import dev.mailroom.events.mail.MessageSkipped;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.MailboxPath;
import dev.mailroom.events.testing.TestKafka;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The broker hangs for longer than every client timeout, during a first sync, and comes back: every
 * consumer goes on by itself and the store holds each event once.
 *
 * <p>The incident this pins: Kafka stopped (SIGSTOP) for 150 s during a first sync; sync-service
 * and health-service reported their channels DOWN and consumed nothing more until restarted.
 * SmallRye's default {@code throttled} commit strategy asks the broker for the committed offset
 * when the first record of a partition reaches the application ({@code consumer.committed()},
 * bounded by {@code default.api.timeout.ms}, 60 s), and a failure there ends the channel's stream
 * for good; it also declares the channel dead when a record waits longer than {@code
 * throttled.unprocessed-record-max-age.ms} (60 s) for its acknowledgement, which a dead letter sent
 * to a frozen broker does. Both happen to records fetched before the freeze and handed to the
 * application during it, so the test makes sure there are such records: it holds each consumer on a
 * table lock while more records, on partitions it has not read yet, are fetched behind the blocked
 * one, then freezes the broker and releases the locks.
 *
 * <p>Runs last (see junit-platform.properties): while the broker is frozen every other test would
 * fail, and the platform must be whole again when it ends, which this test asserts.
 */
@Order(Integer.MAX_VALUE)
class KafkaOutageIT {

  /**
   * Longer than every client timeout in production, so each one expires at least once: producers'
   * {@code delivery.timeout.ms} (120 s, the longest: connector, sync-service's dead letters,
   * health-service's status relay), {@code max.block.ms} and {@code default.api.timeout.ms} (60 s),
   * SmallRye's {@code throttled.unprocessed-record-max-age.ms} (60 s, where still used), the
   * consumers' {@code session.timeout.ms} (45 s; the connector's ownership group 15 s) and {@code
   * request.timeout.ms} (30 s). {@code max.poll.interval.ms} (5 min) does not apply: every consumer
   * keeps calling poll() while the broker is away. Also the incident's length.
   */
  static final Duration FREEZE = Duration.ofSeconds(150);

  /**
   * The account's mail events on the topic when the broker is frozen: just past its INBOX (6,057
   * new messages of the 10,000), while the next mailbox is being sent and the INBOX's end waits to
   * be finished by the one after; more of the sync comes after the freeze.
   */
  static final int FREEZE_AFTER_EVENTS = Integer.getInteger("outage.freezeAfterEvents", 6_200);

  static final String SYNC_DB = "mailroom_sync";
  static final String HEALTH_DB = "mailroom_health";

  private Host.FrozenBroker broker;

  @AfterEach
  void thaw() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void everyConsumerRidesOutAFrozenBrokerAndTheStoreHoldsEachEventOnce() throws Exception {
    String token = Platform.token("demo", "demo");
    assertThat(liveness())
        .as("liveness before the freeze")
        .allSatisfy((svc, code) -> assertThat(code).isEqualTo(200));
    String user = Host.imapUserWithMessages("outage", 10_000);
    TestKafka kafka = TestKafka.shared();
    String beforeFreeze = "Sent before the freeze " + System.nanoTime();
    String duringFreeze = "Sent during the freeze " + System.nanoTime();
    byte[] poison = ("poison " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
    AccountId waiting = AccountId.of(UUID.randomUUID().toString());
    AccountId fresh =
        freshKey(
            Psql.value(HEALTH_DB, "select string_agg(account_id::text, ',') from account_health"),
            Set.of(waiting.toString()),
            Topics.CONNECTION);
    String accountId;
    Map<TopicPartition, Long> mailEnds = mailTopicEnds(); // the account has no event before

    try (Psql.TableLock syncLock =
            Psql.lock(SYNC_DB, List.of("mailbox", "message", "message_location"));
        Psql.TableLock healthLock = Psql.lock(HEALTH_DB, List.of("account_health"))) {
      // Each consumer blocks in the store on a record of its own...
      EndToEndIT.append("demo", "demo", beforeFreeze);
      awaitWaitingOnLock(SYNC_DB);
      kafka.send(Topics.CONNECTION, failed(waiting));
      awaitWaitingOnLock(HEALTH_DB);
      // ...while records on partitions it has not read since it joined its group are fetched behind
      // it: a mail event no one can read (a dead letter to send) and a connection event.
      String poisonKey =
          freshKey(
                  Psql.value(SYNC_DB, "select string_agg(id::text, ',') from account"),
                  Set.of(),
                  Topics.MAIL)
              .toString();
      var record = new ProducerRecord<>(Topics.MAIL, poisonKey, poison);
      record.headers().add("ce_type", "mailroom.message.added.v1".getBytes(StandardCharsets.UTF_8));
      kafka.sendRaw(record);
      kafka.send(Topics.CONNECTION, failed(fresh));
      // And a first sync under way, as in the incident: frozen once part of the account's events
      // are on the mail topic (a fixed pause froze before, during or after the sync depending on
      // the machine's speed).
      accountId = addAccount(token, user);
      awaitMailEvents(accountId, mailEnds, FREEZE_AFTER_EVENTS);
      broker = Host.FrozenBroker.freeze();
    }
    Instant frozenAt = Instant.now();
    System.out.printf(
        "broker frozen for %d s with a first sync under way (account %s)%n",
        FREEZE.toSeconds(), accountId);

    EndToEndIT.append(user, user, duringFreeze);
    Thread.sleep(Math.max(0, FREEZE.minus(Duration.between(frozenAt, Instant.now())).toMillis()));
    // A channel that died says so in its liveness: none may have.
    Map<String, Integer> liveDuringFreeze = liveness();
    broker.close();
    Instant thawedAt = Instant.now();
    assertThat(liveDuringFreeze)
        .as("liveness after %d s without a broker", FREEZE.toSeconds())
        .allSatisfy((svc, code) -> assertThat(code).as(svc).isEqualTo(200));

    // Consumption resumes by itself: the first sync, the mail sent during the freeze and before it.
    await()
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofSeconds(2))
        .untilAsserted(
            () -> {
              JsonPath boxes =
                  api(token)
                      .get("/api/accounts/{id}/mailboxes", accountId)
                      .then()
                      .statusCode(200)
                      .extract()
                      .jsonPath();
              assertThat(
                      boxes.getList("total", Long.class).stream().mapToLong(Long::longValue).sum())
                  .isGreaterThan(10_000L);
              assertThat(boxes.getList("stored", Long.class))
                  .isEqualTo(boxes.getList("total", Long.class));
              assertThat(subjects(token, accountId)).contains(duringFreeze);
              assertThat(subjects(token, demoAccountId(token))).contains(beforeFreeze);
            });
    System.out.printf(
        "everything stored %d s after the broker came back%n",
        Duration.between(thawedAt, Instant.now()).toSeconds());

    // No mailbox's status (the checkpoint a restart trusts) came before the adds of its messages:
    // one that did made a restart take the messages it lacked as announced, and the store never
    // had them.
    assertThat(statusesAheadOfTheirMessages(accountId, mailEnds))
        .as("statuses on the topic before the adds of every message below their UIDNEXT")
        .isEmpty();

    // Each message once: one location per message the server counts, each added once (a replayed
    // event that inserted again, or removed and re-added, would show in the change log).
    long total =
        api(token)
            .get("/api/accounts/{id}/mailboxes", accountId)
            .jsonPath()
            .getList("total", Long.class)
            .stream()
            .mapToLong(Long::longValue)
            .sum();
    assertThat(
            Psql.count(
                SYNC_DB,
                "select count(*) from message_location where account_id = '" + accountId + "'"))
        .isEqualTo(total);
    assertThat(
            Psql.count(
                SYNC_DB,
                "select count(*) from change_log where account_id = '"
                    + accountId
                    + "' and kind = 'message.added'"))
        .isEqualTo(total);

    // The unreadable event is on the dead-letter topic (at least once: a replay may send it again).
    assertThat(
            kafka.readUntil(
                Topics.MAIL_DEAD_LETTER,
                seen -> seen.stream().anyMatch(r -> Arrays.equals(r.value(), poison)),
                Duration.ofSeconds(60)))
        .anyMatch(r -> Arrays.equals(r.value(), poison));

    // health-service applied both connection events and announced the status it decided.
    assertThat(
            Psql.value(
                HEALTH_DB,
                "select string_agg(state, ',') from account_health where account_id in ('"
                    + waiting
                    + "', '"
                    + fresh
                    + "')"))
        .isEqualTo("degraded,degraded");
    assertThat(
            kafka.readUntil(
                Topics.ACCOUNT_STATUS,
                seen -> seen.stream().anyMatch(r -> fresh.toString().equals(r.key())),
                Duration.ofSeconds(60)))
        .anyMatch(r -> fresh.toString().equals(r.key()));

    // And every service says it is healthy again, without a restart.
    await()
        .atMost(Duration.ofMinutes(1))
        .untilAsserted(
            () ->
                Platform.SERVICES.forEach(
                    (svc, url) ->
                        assertThat(given().get(url + "/q/health").statusCode())
                            .as(svc + " /q/health")
                            .isEqualTo(200)));
  }

  private static ConnectionFailed failed(AccountId account) {
    return new ConnectionFailed(
        account, FailureCategory.HOST_UNREACHABLE, "unreachable (test)", Instant.now());
  }

  /**
   * An account id whose partition of {@code topic} holds none of {@code taken} (comma-separated)
   * nor {@code alsoTaken}, when there is such a partition: a consumer that has not read it since it
   * joined its group asks the broker where it stands before the first record of it.
   */
  private static AccountId freshKey(String taken, Set<String> alsoTaken, String topic) {
    int partitions = 12; // deploy/topics.conf
    Set<Integer> used = new HashSet<>();
    Set<String> keys = new HashSet<>(alsoTaken);
    if (!taken.isBlank()) {
      keys.addAll(Arrays.asList(taken.split(",")));
    }
    keys.forEach(k -> used.add(partitionOf(k, partitions)));
    for (int i = 0; i < 1_000; i++) {
      String key = UUID.randomUUID().toString();
      if (!used.contains(partitionOf(key, partitions)) || used.size() >= partitions) {
        return AccountId.of(key);
      }
    }
    throw new IllegalStateException("no key found for a free partition of " + topic);
  }

  private static int partitionOf(String key, int partitions) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
  }

  /** The mail topic's partition ends, before the account has any event there. */
  private static Map<TopicPartition, Long> mailTopicEnds() {
    try (KafkaConsumer<String, byte[]> consumer = mailReader()) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(Topics.MAIL).stream()
              .map(p -> new TopicPartition(Topics.MAIL, p.partition()))
              .toList();
      return consumer.endOffsets(partitions);
    }
  }

  /** Waits until the account has {@code count} events on the mail topic after {@code ends}. */
  private static void awaitMailEvents(String accountId, Map<TopicPartition, Long> ends, int count) {
    try (KafkaConsumer<String, byte[]> consumer = accountReader(accountId, ends)) {
      long seen = 0;
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (seen < count) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError(
              "the first sync put " + seen + " of " + count + " events on the topic in 2 minutes");
        }
        for (var record : consumer.poll(Duration.ofMillis(50))) {
          if (accountId.equals(record.key())) {
            seen++;
          }
        }
      }
    }
  }

  /**
   * The account's statuses on the mail topic whose UIDNEXT is above a message not announced before
   * them. The test's mailboxes are fresh and nothing is expunged: their UIDs run from 1 without a
   * gap, so each UID below a status's UIDNEXT must have had its add (or skip) before it.
   */
  private static List<String> statusesAheadOfTheirMessages(
      String accountId, Map<TopicPartition, Long> from) {
    Map<MailboxPath, Set<Long>> announced = new HashMap<>();
    List<String> ahead = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = accountReader(accountId, from)) {
      TopicPartition partition = consumer.assignment().iterator().next();
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      while (consumer.position(partition) < end) {
        for (var record : consumer.poll(Duration.ofMillis(500))) {
          if (!accountId.equals(record.key())) {
            continue;
          }
          switch (EventCodec.decode(
              TestKafka.header(record, CloudEventHeaders.TYPE), record.value())) {
            case MessageAdded m ->
                announced.computeIfAbsent(m.mailbox(), k -> new HashSet<>()).add(m.uid().value());
            case MessageSkipped k ->
                announced.computeIfAbsent(k.mailbox(), x -> new HashSet<>()).add(k.uid().value());
            case MailboxStatus st -> {
              Set<Long> uids = announced.getOrDefault(st.path(), Set.of());
              long missing =
                  LongStream.range(1, st.uidNext()).filter(uid -> !uids.contains(uid)).count();
              if (missing > 0) {
                ahead.add(
                    "%s at offset %d: UIDNEXT %d, %d message(s) below it not announced before it"
                        .formatted(st.path(), record.offset(), st.uidNext(), missing));
              }
            }
            default -> {}
          }
        }
      }
    }
    return ahead;
  }

  /** A reader of the account's partition of the mail topic, from {@code from}'s offset of it. */
  private static KafkaConsumer<String, byte[]> accountReader(
      String accountId, Map<TopicPartition, Long> from) {
    TopicPartition partition = new TopicPartition(Topics.MAIL, partitionOf(accountId, from.size()));
    KafkaConsumer<String, byte[]> consumer = mailReader();
    consumer.assign(List.of(partition));
    consumer.seek(partition, from.get(partition));
    return consumer;
  }

  private static KafkaConsumer<String, byte[]> mailReader() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Platform.KAFKA);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    return new KafkaConsumer<>(p);
  }

  private static void awaitWaitingOnLock(String database) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                Psql.count(
                        database,
                        "select count(*) from pg_stat_activity where datname = '"
                            + database
                            + "' and wait_event_type = 'Lock'")
                    > 0);
  }

  private static String addAccount(String token, String user) {
    String body =
        """
        {"displayName": "Outage", "host": "%s", "port": %d, "security": "starttls",
         "username": "%s", "password": "%s"}
        """
            .formatted(Platform.IMAP_HOST, Platform.IMAP_PORT, user, user);
    return api(token)
        .contentType(ContentType.JSON)
        .body(body)
        .post("/api/accounts")
        .then()
        .statusCode(201)
        .extract()
        .jsonPath()
        .getString("id");
  }

  private static List<String> subjects(String token, String accountId) {
    return api(token)
        .queryParam("mailbox", "INBOX")
        .queryParam("limit", 20)
        .get("/api/accounts/{id}/messages", accountId)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("items.subject");
  }

  private static String demoAccountId(String token) {
    List<Map<String, Object>> accounts =
        api(token).get("/api/accounts").then().statusCode(200).extract().jsonPath().getList("$");
    return accounts.stream()
        .filter(a -> "demo".equals(a.get("username")))
        .findFirst()
        .orElseThrow()
        .get("id")
        .toString();
  }

  /** HTTP status of each service's /q/health/live, 0 when it does not answer within 10 s. */
  private static Map<String, Integer> liveness() {
    return Platform.SERVICES.entrySet().stream()
        .collect(
            Collectors.toMap(
                Map.Entry::getKey,
                e -> {
                  try {
                    var config =
                        io.restassured.config.RestAssuredConfig.config()
                            .httpClient(
                                io.restassured.config.HttpClientConfig.httpClientConfig()
                                    .setParam("http.socket.timeout", 10_000)
                                    .setParam("http.connection.timeout", 10_000));
                    return given().config(config).get(e.getValue() + "/q/health/live").statusCode();
                  } catch (RuntimeException unanswered) {
                    return 0;
                  }
                }));
  }

  private static io.restassured.specification.RequestSpecification api(String token) {
    return given().baseUri(Platform.GATEWAY).auth().oauth2(token);
  }
}
