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

  public static List<MailroomEvent> read(
      TestKafka kafka,
      String topic,
      AccountId id,
      Predicate<List<MailroomEvent>> until,
      Duration timeout) {
    var records = kafka.readUntil(topic, seen -> until.test(decode(seen, id)), timeout);
    return decode(records, id);
  }

  /**
   * The first event of this type (decoded alone, as it comes) that matches: for topics where {@link
   * #read} would decode thousands of other events again on every poll.
   */
  public static <T extends MailroomEvent> T awaitFirst(
      TestKafka kafka,
      String topic,
      AccountId id,
      Class<T> type,
      Predicate<T> matches,
      Duration timeout) {
    String wanted =
        java.util.Arrays.stream(dev.mailroom.events.EventType.values())
            .filter(t -> t.javaType().equals(type))
            .findFirst()
            .orElseThrow()
            .ceType();
    int[] checked = {0};
    List<T> found = new java.util.ArrayList<>();
    kafka.readUntil(
        topic,
        seen -> {
          for (; checked[0] < seen.size() && found.isEmpty(); checked[0]++) {
            var r = seen.get(checked[0]);
            String header = TestKafka.header(r, CloudEventHeaders.TYPE);
            if (id.toString().equals(r.key()) && wanted.equals(header)) {
              T event = type.cast(EventCodec.decode(header, r.value()));
              if (matches.test(event)) {
                found.add(event);
              }
            }
          }
          return !found.isEmpty();
        },
        timeout);
    return found.isEmpty() ? null : found.getFirst();
  }

  public static List<MailroomEvent> decode(
      List<ConsumerRecord<String, byte[]>> records, AccountId id) {
    return records.stream()
        .filter(r -> id.toString().equals(r.key()))
        .map(r -> EventCodec.decode(TestKafka.header(r, CloudEventHeaders.TYPE), r.value()))
        .toList();
  }

  public static <T extends MailroomEvent> List<T> of(List<MailroomEvent> events, Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }
}
