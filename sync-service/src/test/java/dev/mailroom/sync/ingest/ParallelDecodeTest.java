package dev.mailroom.sync.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.events.EventCodec;
import dev.mailroom.events.EventCodec.MalformedEventException;
import dev.mailroom.events.cloudevents.CloudEventHeaders;
import dev.mailroom.events.mail.MessageAdded;
import dev.mailroom.events.model.EmailAddress;
import dev.mailroom.events.model.MailboxPath;
import dev.mailroom.events.model.ModSeq;
import dev.mailroom.events.model.Uid;
import dev.mailroom.events.model.UidValidity;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** A batch large enough to be decoded on several threads keeps each record in its place. */
class ParallelDecodeTest {

  @Test
  void eventsAndUnreadableRecordsStayInTheirPlaces() {
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      boolean poison = i % 97 == 13;
      byte[] value =
          poison
              ? "{\"accountId\":\"not json".getBytes(StandardCharsets.UTF_8)
              : EventCodec.encode(added(i + 1));
      var record = new ConsumerRecord<>("mail", 0, i, MailServerModel.ACCOUNT.toString(), value);
      record
          .headers()
          .add(
              CloudEventHeaders.TYPE, "mailroom.message.added.v1".getBytes(StandardCharsets.UTF_8));
      records.add(record);
    }

    Object[] decoded = MailEventConsumer.decodeAll(records);

    assertThat(decoded).hasSize(records.size());
    for (int i = 0; i < decoded.length; i++) {
      if (i % 97 == 13) {
        assertThat(decoded[i]).as("record %d", i).isInstanceOf(MalformedEventException.class);
      } else {
        assertThat(decoded[i]).as("record %d", i).isEqualTo(added(i + 1));
      }
    }
  }

  private static MessageAdded added(long uid) {
    Instant at = Instant.parse("2026-12-01T09:00:00Z").plusSeconds(uid);
    return new MessageAdded(
        MailServerModel.ACCOUNT,
        MailboxPath.of("Entwürfe"),
        UidValidity.of(9),
        Uid.of(uid),
        ModSeq.of(uid),
        "identity-" + uid,
        "<" + uid + "@example.com>",
        "Betreff " + uid,
        List.of(new EmailAddress("Sender", "sender@example.com")),
        List.of(),
        List.of(),
        at,
        at,
        1000 + uid,
        List.of("\\Seen"),
        null,
        List.of(),
        "snippet " + uid,
        "body " + uid,
        null,
        List.of());
  }
}
