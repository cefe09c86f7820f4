package dev.mailroom.health;

import dev.mailroom.events.EventCodec;
import dev.mailroom.events.cloudevents.CloudEventHeaders;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.status.AccountStatus;
import dev.mailroom.events.status.AccountStatusChanged;
import dev.mailroom.events.testing.TestKafka;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/** Reads one account's status events back from the account-status topic. */
final class StatusEvents {

  private StatusEvents() {}

  static List<AccountStatusChanged> read(
      TestKafka kafka,
      String topic,
      AccountId account,
      Predicate<List<AccountStatusChanged>> until,
      Duration timeout) {
    var records = kafka.readUntil(topic, seen -> until.test(decode(seen, account)), timeout);
    return decode(records, account);
  }

  static long count(List<AccountStatusChanged> events, AccountStatus status) {
    return events.stream().filter(e -> e.status() == status).count();
  }

  private static List<AccountStatusChanged> decode(
      List<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>> records,
      AccountId account) {
    return records.stream()
        .filter(r -> account.toString().equals(r.key()))
        .map(
            r ->
                (AccountStatusChanged)
                    EventCodec.decode(TestKafka.header(r, CloudEventHeaders.TYPE), r.value()))
        .toList();
  }
}
