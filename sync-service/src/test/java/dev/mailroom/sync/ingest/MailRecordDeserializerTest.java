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
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/**
 * The mail topic's records decoded as the consumer's poll hands them over: each to its event, or to
 * the reason it cannot be read, with its bytes kept for the dead-letter topic.
 */
class MailRecordDeserializerTest {

  final MailRecordDeserializer deserializer = new MailRecordDeserializer();

  @Test
  void eventsAndUnreadableRecordsEachBecomeWhatTheyAre() {
    for (int i = 0; i < 2_000; i++) {
      boolean poison = i % 97 == 13;
      byte[] value =
          poison
              ? "{\"accountId\":\"not json".getBytes(StandardCharsets.UTF_8)
              : EventCodec.encode(added(i + 1));
      RecordHeaders headers = new RecordHeaders();
      headers.add(
          CloudEventHeaders.TYPE, "mailroom.message.added.v1".getBytes(StandardCharsets.UTF_8));

      MailRecord read = deserializer.deserialize("mail", headers, value);

      assertThat(read.raw()).as("record %d", i).isSameAs(value);
      if (poison) {
        assertThat(read.event()).as("record %d", i).isNull();
        assertThat(read.malformed()).as("record %d", i).isInstanceOf(MalformedEventException.class);
      } else {
        assertThat(read.event()).as("record %d", i).isEqualTo(added(i + 1));
        assertThat(read.malformed()).as("record %d", i).isNull();
      }
    }
  }

  @Test
  void aRecordWithoutATypeOrWithoutAValueSaysWhy() {
    byte[] value = EventCodec.encode(added(1));
    assertThat(deserializer.deserialize("mail", new RecordHeaders(), value).malformed())
        .hasMessageContaining("unknown event type");
    RecordHeaders headers = new RecordHeaders();
    headers.add(
        CloudEventHeaders.TYPE, "mailroom.message.added.v1".getBytes(StandardCharsets.UTF_8));
    MailRecord tombstone = deserializer.deserialize("mail", headers, (byte[]) null);
    assertThat(tombstone.raw()).isNull();
    assertThat(tombstone.malformed()).hasMessageContaining("empty payload");
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
