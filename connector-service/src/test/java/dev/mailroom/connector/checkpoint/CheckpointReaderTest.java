package dev.mailroom.connector.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.events.EventCodec;
import dev.mailroom.events.MailroomEvent;
import dev.mailroom.events.cloudevents.CloudEventHeaders;
import dev.mailroom.events.mail.MailboxStatus;
import dev.mailroom.events.mail.MessageAdded;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.MailboxPath;
import dev.mailroom.events.model.ModSeq;
import dev.mailroom.events.model.Uid;
import dev.mailroom.events.model.UidValidity;
import dev.mailroom.events.testing.TestKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * Where the checkpoint read starts, on a real broker: at the account's creation less the clock skew
 * allowed, found by record timestamp, so a new account does not read the other accounts' past; at
 * the partition's start for a definition without a creation time.
 */
class CheckpointReaderTest {

  private static final String BOOTSTRAP =
      System.getenv().getOrDefault("MAILROOM_TEST_KAFKA", "127.0.0.1:20092");

  @Test
  void theReadStartsAtTheAccountsCreationLessTheSkewAndRestoresAllOfIt() throws Exception {
    String topic = "checkpoints-" + System.nanoTime();
    AccountId other = AccountId.random();
    AccountId account = AccountId.random();
    Instant created = Instant.now();
    try (TestKafka kafka = new TestKafka(BOOTSTRAP)) {
      kafka.createTopic(topic, 1);
      // Another account's past, two hours before this account was created.
      for (long uid = 1; uid <= 40; uid++) {
        send(kafka, topic, added(other, uid), created.minus(Duration.ofHours(2)));
      }
      // This account's events: one stamped a minute before its creation (a clock behind the
      // gateway's), within the 5 minutes allowed, and the rest after.
      send(kafka, topic, added(account, 1), created.minus(Duration.ofMinutes(1)));
      send(kafka, topic, added(account, 2), created.plusSeconds(1));
      send(
          kafka,
          topic,
          new MailboxStatus(
              account,
              MailboxPath.INBOX,
              ".",
              null,
              UidValidity.of(7),
              3,
              ModSeq.of(12),
              2,
              0,
              created.plusSeconds(2)),
          created.plusSeconds(2));

      CheckpointReader reader = new CheckpointReader(BOOTSTRAP, topic, Duration.ofMinutes(5));
      MailboxState inbox = reader.restore(account, created).get(MailboxPath.INBOX);
      assertThat(inbox.known().uids()).containsExactly(1L, 2L);
      assertThat(inbox.checkpoint().uidNext()).isEqualTo(3);
      assertThat(reader.recordsRead())
          .as("the other account's 40 records are not read")
          .isEqualTo(3);

      long before = reader.recordsRead();
      MailboxState fromStart = reader.restore(account, null).get(MailboxPath.INBOX);
      assertThat(fromStart.known().uids()).containsExactly(1L, 2L);
      assertThat(reader.recordsRead() - before)
          .as("no creation time: the whole partition")
          .isEqualTo(43);

      assertThat(reader.restore(AccountId.random(), Instant.now().plusSeconds(600)))
          .as("an account created after every record has nothing to restore")
          .isEmpty();
    }
  }

  private static MessageAdded added(AccountId account, long uid) {
    return new MessageAdded(
        account,
        MailboxPath.INBOX,
        UidValidity.of(7),
        Uid.of(uid),
        ModSeq.of(10 + uid),
        "mid:<m" + uid + "@test>",
        "<m" + uid + "@test>",
        "message " + uid,
        List.of(),
        List.of(),
        List.of(),
        null,
        Instant.parse("2026-11-26T09:00:00Z"),
        100,
        List.of(),
        null,
        List.of(),
        "",
        "",
        null,
        List.of());
  }

  private static void send(TestKafka kafka, String topic, MailroomEvent event, Instant timestamp) {
    var record =
        new ProducerRecord<>(
            topic,
            0,
            timestamp.toEpochMilli(),
            event.accountId().toString(),
            EventCodec.encode(event));
    CloudEventHeaders.of(event, "test", timestamp)
        .forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
    kafka.sendRaw(record);
  }
}
