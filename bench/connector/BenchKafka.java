import dev.mailroom.events.EventCodec;
import dev.mailroom.events.EventType;
import dev.mailroom.events.MailroomEvent;
import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.events.account.ImapEndpoint;
import dev.mailroom.events.account.Security;
import dev.mailroom.events.cloudevents.CloudEventHeaders;
import dev.mailroom.events.crypto.SecretBox;
import dev.mailroom.events.mail.FlagsChanged;
import dev.mailroom.events.mail.MailboxStatus;
import dev.mailroom.events.model.AccountId;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Bench.java's Kafka side: the run's topics created and deleted ({@code topics} and {@code
 * delete-topics}), accounts defined and removed on the accounts topic, and the mail topic read for
 * what the connector has published of one account. Heap.java uses it too.
 */
final class BenchKafka {
  /** What the mail topic has shown of the account, as System.nanoTime() of arrival. */
  static final class Seen {
    volatile int added;
    volatile long firstAddedAt;
    volatile long lastAddedAt;

    /** The first status of each mailbox: published once every message of it was acknowledged. */
    final Map<String, Long> statusAt = new ConcurrentHashMap<>();

    final Map<String, Long> flagged = new ConcurrentHashMap<>();
    final CountDownLatch reading = new CountDownLatch(1);
  }

  static void read(String kafka, String topic, AccountId id, Seen seen) {
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka);
    p.put("key.deserializer", StringDeserializer.class.getName());
    p.put("value.deserializer", ByteArrayDeserializer.class.getName());
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p)) {
      // Every partition assigned directly: no group join to delay the first arrivals.
      var partitions =
          consumer.partitionsFor(topic).stream()
              .map(i -> new TopicPartition(i.topic(), i.partition()))
              .toList();
      consumer.assign(partitions);
      // From the end: the measured account is defined after this, and reading the warm-up
      // accounts' events (hundreds of MB) would take CPU from the services being measured.
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position); // resolved now, before the account is defined
      while (!Thread.currentThread().isInterrupted()) {
        var records = consumer.poll(Duration.ofMillis(50));
        seen.reading.countDown();
        for (ConsumerRecord<String, byte[]> r : records) {
          if (!id.toString().equals(r.key())) {
            continue;
          }
          long now = System.nanoTime();
          String type =
              new String(
                  r.headers().lastHeader(CloudEventHeaders.TYPE).value(), StandardCharsets.UTF_8);
          if (type.equals(EventType.MESSAGE_ADDED.ceType())) {
            // Told by its type alone: decoding 10,000 events of ~6 KB here took CPU from the
            // services being measured, on the same cores.
            if (seen.added == 0) {
              seen.firstAddedAt = now;
            }
            seen.added++;
            seen.lastAddedAt = now;
            continue;
          }
          MailroomEvent e = EventCodec.decode(type, r.value());
          if (e instanceof MailboxStatus s) {
            seen.statusAt.putIfAbsent(s.path().value(), now);
          } else if (e instanceof FlagsChanged f && f.flags().contains("\\Flagged")) {
            seen.flagged.putIfAbsent(f.mailbox().value() + "/" + f.uid().value(), now);
          }
        }
      }
    } catch (org.apache.kafka.common.errors.InterruptException done) {
      // the bench is over
    }
  }

  /**
   * Puts a new account on the accounts topic, its password sealed for it.
   *
   * @return {@link System#nanoTime} just before the send: the producer's metadata is fetched first
   */
  static long define(
      String kafka,
      String accountsTopic,
      AccountId id,
      String name,
      String user,
      String host,
      int port,
      String keyId,
      String key,
      String password)
      throws Exception {
    var sealed = SecretBox.of(keyId, Map.of(keyId, key)).seal(password, id.toString());
    Instant created = Instant.now(); // the first and only version of this account
    var account =
        new AccountDefined(
            id,
            name,
            user,
            user + "@localhost",
            new ImapEndpoint(host, port, Security.TLS, user),
            sealed,
            created,
            created);
    try (KafkaProducer<String, byte[]> producer = producer(kafka)) {
      producer.partitionsFor(accountsTopic);
      long start = System.nanoTime();
      send(producer, accountsTopic, account);
      return start;
    }
  }

  /**
   * A tombstone on the accounts topic; returns once sync-service lists no mailbox of the account.
   */
  static void removeAccount(String kafka, String accountsTopic, AccountId id, String syncUrl)
      throws Exception {
    try (KafkaProducer<String, byte[]> producer = producer(kafka)) {
      producer.send(new ProducerRecord<>(accountsTopic, id.toString(), null)).get();
    }
    URI uri = URI.create(syncUrl + "/internal/accounts/" + id + "/mailboxes");
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (!BenchStore.storedCounts(uri).isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "account " + id + " still known to sync-service 2 minutes after its tombstone");
      }
      Thread.sleep(Bench.STORED_POLL_MS);
    }
  }

  private static KafkaProducer<String, byte[]> producer(String kafka) {
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka);
    p.put("key.serializer", StringSerializer.class.getName());
    p.put("value.serializer", ByteArraySerializer.class.getName());
    return new KafkaProducer<>(p);
  }

  private static void send(
      KafkaProducer<String, byte[]> producer, String topic, MailroomEvent event) throws Exception {
    var record =
        new ProducerRecord<>(topic, event.accountId().toString(), EventCodec.encode(event));
    CloudEventHeaders.of(event, "bench", Instant.now())
        .forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
    producer.send(record).get();
  }

  /** Creates each {@code name:partitions} topic; one that exists already must have that count. */
  static void createTopics(String kafka, List<String> specs) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka))) {
      for (String spec : specs) {
        String name = spec.substring(0, spec.lastIndexOf(':'));
        int partitions = Integer.parseInt(spec.substring(spec.lastIndexOf(':') + 1));
        try {
          admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
          int actual =
              admin
                  .describeTopics(List.of(name))
                  .allTopicNames()
                  .get()
                  .get(name)
                  .partitions()
                  .size();
          if (actual != partitions) {
            throw new IllegalStateException(
                name + " exists with " + actual + " partitions, not " + partitions);
          }
        }
      }
    }
  }

  static void deleteTopics(String kafka, List<String> names) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka))) {
      for (String name : names) {
        try {
          admin.deleteTopics(List.of(name)).all().get();
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
            throw e;
          }
        }
      }
    }
  }
}
