package dev.mailroom.connector;

import dev.mailroom.events.EventCodec;
import dev.mailroom.events.MailroomEvent;
import dev.mailroom.events.cloudevents.CloudEventHeaders;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.testing.TestKafka;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Reads one account's events back from a topic of the test run. */
public final class MailTopic {

  private MailTopic() {}

  public static List<MailroomEvent> read(TestKafka kafka, String topic, AccountId id,
      Predicate<List<MailroomEvent>> until, Duration timeout) {
    var records = kafka.readUntil(topic, seen -> until.test(decode(seen, id)), timeout);
    return decode(records, id);
  }

  public static List<MailroomEvent> decode(List<ConsumerRecord<String, byte[]>> records, AccountId id) {
    return records.stream()
        .filter(r -> id.toString().equals(r.key()))
        .map(r -> EventCodec.decode(TestKafka.header(r, CloudEventHeaders.TYPE), r.value()))
        .toList();
  }

  public static <T extends MailroomEvent> List<T> of(List<MailroomEvent> events, Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }
}
