package dev.mailroom.sync.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.events.EventCodec;
import dev.mailroom.events.MailroomEvent;
import dev.mailroom.events.cloudevents.CloudEventHeaders;
import dev.mailroom.events.mail.MailboxStatus;
import dev.mailroom.events.mail.MessageAdded;
import dev.mailroom.events.mail.SyncProgress;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.EmailAddress;
import dev.mailroom.events.model.MailboxPath;
import dev.mailroom.events.model.ModSeq;
import dev.mailroom.events.model.Uid;
import dev.mailroom.events.model.UidValidity;
import dev.mailroom.events.testing.TestKafka;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * sync-service dies in the middle of a large first sync, twice: once after a batch's database
 * transaction committed but before its offsets did, once in the middle of a batch's transaction. A
 * new instance in the same consumer group resumes from the last committed offsets. The store it
 * ends with is complete, holds nothing twice, and equals the store of applying every event once.
 *
 * <p>Two Quarkus applications in sequence do not fit in one {@code @QuarkusTest} run, so the
 * "instances" here are Kafka consumers on the real broker doing what {@link MailEventConsumer} does
 * with its batches (decode, apply with {@link Reconciler} in one transaction, commit offsets after
 * the commit), on the real PostgreSQL.
 */
class RestartMidSyncTest {

  private static final int ACCOUNTS = 3;
  private static final int PER_MAILBOX = 1500;
  private static final List<String> MAILBOXES = List.of("INBOX", "Archive");
  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

  private static TestKafka kafka;
  private static TestDatabase db;
  private final Reconciler reconciler = new Reconciler(1024);

  @BeforeAll
  static void connect() {
    kafka = TestKafka.fromEnvironment();
    db = TestDatabase.migrated("reconcile_restart");
  }

  @AfterAll
  static void disconnect() throws SQLException {
    kafka.close();
    db.close();
  }

  @Test
  void restartInTheMiddleOfALargeFirstSyncEndsCompleteWithoutDuplicates() throws SQLException {
    String topic = "sync-test.restart." + UUID.randomUUID();
    String group = "sync-test-restart-" + UUID.randomUUID();
    kafka.createTopic(topic, 3);
    List<MailroomEvent> history = firstSync();
    send(topic, history);
    db.truncate();

    // Instance 1: three good batches, then a batch whose transaction commits but whose offsets
    // never do (killed in between), then dies.
    try (KafkaConsumer<String, byte[]> first = consumer(group, topic)) {
      for (int batch = 0; batch < 3; ) {
        batch += applyAndCommit(first) ? 1 : 0;
      }
      ConsumerRecords<String, byte[]> uncommitted = poll(first);
      applyInTransaction(uncommitted);
      // no commitSync: the process is gone
    }
    long afterFirst = db.count("select count(*) from message_location");
    assertThat(afterFirst)
        .isPositive()
        .isLessThan((long) ACCOUNTS * MAILBOXES.size() * PER_MAILBOX);

    // Instance 2: dies in the middle of a batch's transaction (rolled back, nothing committed).
    try (KafkaConsumer<String, byte[]> second = consumer(group, topic)) {
      ConsumerRecords<String, byte[]> records = poll(second);
      try (Connection c = db.connect()) {
        c.setAutoCommit(false);
        List<MailroomEvent> events = decode(records);
        reconciler.apply(c, events.subList(0, events.size() / 2));
        c.rollback(); // the crash
      }
    }

    // Instance 3: resumes from the last committed offsets and reads to the end.
    try (KafkaConsumer<String, byte[]> third = consumer(group, topic)) {
      long idle = 0;
      while (idle < 3) {
        idle = applyAndCommit(third) ? 0 : idle + 1;
      }
    }

    long expected = (long) ACCOUNTS * MAILBOXES.size() * PER_MAILBOX;
    assertThat(db.count("select count(*) from message_location")).isEqualTo(expected);
    assertThat(db.count("select count(*) from message")).isEqualTo(expected);
    assertThat(db.count("select count(*) from mailbox where sync_done = sync_total"))
        .isEqualTo(ACCOUNTS * MAILBOXES.size());
    assertThat(
            db.count(
                "select count(*) from (select account_id, identity from message group by 1, 2 having count(*) > 1) d"))
        .isZero();
    List<String> restarted = db.snapshot();

    db.truncate();
    db.applyInOneTransaction(reconciler, history);
    assertThat(restarted).isEqualTo(db.snapshot());
  }

  /** Sends as the connector does (CloudEvents binary mode, keyed by account), in one flush. */
  private static void send(String topic, List<MailroomEvent> events) {
    Properties p = new Properties();
    p.put(
        "bootstrap.servers",
        System.getenv().getOrDefault("MAILROOM_TEST_KAFKA", "127.0.0.1:20092"));
    p.put("acks", "all");
    p.put("linger.ms", "20");
    p.put("key.serializer", StringSerializer.class.getName());
    p.put("value.serializer", ByteArraySerializer.class.getName());
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
      for (MailroomEvent event : events) {
        var record =
            new ProducerRecord<>(topic, event.accountId().toString(), EventCodec.encode(event));
        CloudEventHeaders.of(event, "test", T0)
            .forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        producer.send(record);
      }
      producer.flush();
    }
  }

  /** Newest first, as the connector sends a first sync, with progress and a closing status. */
  private static List<MailroomEvent> firstSync() {
    List<MailroomEvent> events = new ArrayList<>();
    for (int a = 0; a < ACCOUNTS; a++) {
      AccountId account =
          new AccountId(UUID.nameUUIDFromBytes(("restart-" + a).getBytes(StandardCharsets.UTF_8)));
      for (String mailbox : MAILBOXES) {
        for (long uid = PER_MAILBOX; uid >= 1; uid--) {
          String id = "mid:" + account + "/" + mailbox + "/" + uid;
          events.add(
              new MessageAdded(
                  account,
                  MailboxPath.of(mailbox),
                  UidValidity.of(42),
                  Uid.of(uid),
                  ModSeq.of(uid),
                  id,
                  "<" + uid + "." + mailbox + "@example.com>",
                  "Message " + uid,
                  List.of(new EmailAddress(null, "a@example.com")),
                  List.of(),
                  List.of(),
                  T0.plusSeconds(uid),
                  T0.plusSeconds(uid),
                  2000,
                  uid % 3 == 0 ? List.of("\\Seen") : List.of(),
                  null,
                  List.of()));
          long done = PER_MAILBOX - uid + 1;
          if (done % 500 == 0) {
            events.add(
                new SyncProgress(
                    account, MailboxPath.of(mailbox), UidValidity.of(42), done, PER_MAILBOX, T0));
          }
        }
        events.add(
            new MailboxStatus(
                account,
                MailboxPath.of(mailbox),
                "/",
                null,
                UidValidity.of(42),
                PER_MAILBOX + 1,
                ModSeq.of(PER_MAILBOX),
                PER_MAILBOX,
                PER_MAILBOX * 2 / 3,
                T0));
      }
    }
    return events;
  }

  private boolean applyAndCommit(KafkaConsumer<String, byte[]> consumer) throws SQLException {
    ConsumerRecords<String, byte[]> records = poll(consumer);
    if (records.isEmpty()) {
      return false;
    }
    applyInTransaction(records);
    consumer.commitSync(); // only after the database commit, as SmallRye does for the service
    return true;
  }

  private void applyInTransaction(ConsumerRecords<String, byte[]> records) throws SQLException {
    db.applyInOneTransaction(reconciler, decode(records));
  }

  private static List<MailroomEvent> decode(ConsumerRecords<String, byte[]> records) {
    List<MailroomEvent> events = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> r : records) {
      events.add(EventCodec.decode(TestKafka.header(r, CloudEventHeaders.TYPE), r.value()));
    }
    return events;
  }

  private static ConsumerRecords<String, byte[]> poll(KafkaConsumer<String, byte[]> consumer) {
    return consumer.poll(Duration.ofSeconds(2));
  }

  private static KafkaConsumer<String, byte[]> consumer(String group, String topic) {
    Properties p = new Properties();
    p.put(
        "bootstrap.servers",
        System.getenv().getOrDefault("MAILROOM_TEST_KAFKA", "127.0.0.1:20092"));
    p.put("group.id", group);
    p.put("enable.auto.commit", "false");
    p.put("auto.offset.reset", "earliest");
    p.put("max.poll.records", "700");
    p.put("key.deserializer", StringDeserializer.class.getName());
    p.put("value.deserializer", ByteArrayDeserializer.class.getName());
    KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p);
    consumer.subscribe(List.of(topic));
    return consumer;
  }
}
