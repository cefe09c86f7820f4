package dev.mailroom.events.testing;

import dev.mailroom.events.EventCodec;
import dev.mailroom.events.MailroomEvent;
import dev.mailroom.events.cloudevents.CloudEventHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Talks to the real broker the test run started ({@code MAILROOM_TEST_KAFKA}): creates topics,
 * sends events exactly as Mailroom's producers do, and reads topics back. Shared by the modules'
 * tests through the events test-jar.
 */
public final class TestKafka implements AutoCloseable {

  private final String bootstrap;
  private final KafkaProducer<String, byte[]> producer;

  public TestKafka(String bootstrap) {
    this.bootstrap = bootstrap;
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("acks", "all");
    p.put("key.serializer", StringSerializer.class.getName());
    p.put("value.serializer", ByteArraySerializer.class.getName());
    this.producer = new KafkaProducer<>(p);
  }

  public static TestKafka fromEnvironment() {
    return new TestKafka(System.getenv().getOrDefault("MAILROOM_TEST_KAFKA", "127.0.0.1:20092"));
  }

  private static TestKafka shared;

  /** One client for the whole test run (tests read with their own consumers), closed at exit. */
  public static synchronized TestKafka shared() {
    if (shared == null) {
      TestKafka kafka = fromEnvironment();
      Runtime.getRuntime().addShutdownHook(new Thread(kafka::close));
      shared = kafka;
    }
    return shared;
  }

  public void createTopic(String name, int partitions) {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("cannot create topic " + name, e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Sets a topic's configuration entry ({@code max.message.bytes}, say), or removes it when {@code
   * value} is null, so the broker's default applies again.
   */
  public void setTopicConfig(String topic, String name, String value) {
    var resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    var op =
        new AlterConfigOp(
            new ConfigEntry(name, value),
            value == null ? AlterConfigOp.OpType.DELETE : AlterConfigOp.OpType.SET);
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin.incrementalAlterConfigs(Map.of(resource, List.of(op))).all().get();
      Thread.sleep(500); // the broker applies a topic's new configuration asynchronously
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot set " + name + " of topic " + topic, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Sends as a CloudEvent in binary mode, keyed by account id, and waits for the broker. */
  public void send(String topic, MailroomEvent event) {
    var record =
        new ProducerRecord<>(topic, event.accountId().toString(), EventCodec.encode(event));
    CloudEventHeaders.of(event, "test", Instant.now())
        .forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
    sendRaw(record);
  }

  public void sendRaw(ProducerRecord<String, byte[]> record) {
    try {
      producer.send(record).get();
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException("send to " + record.topic() + " failed", e);
    }
  }

  /** Reads the topic from the start until {@code until} holds for what was read, or times out. */
  public List<ConsumerRecord<String, byte[]>> readUntil(
      String topic, Predicate<List<ConsumerRecord<String, byte[]>>> until, Duration timeout) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("group.id", "test-reader-" + UUID.randomUUID());
    p.put("auto.offset.reset", "earliest");
    p.put("key.deserializer", StringDeserializer.class.getName());
    p.put("value.deserializer", ByteArrayDeserializer.class.getName());
    List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline && !until.test(seen)) {
        consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
      }
    }
    return seen;
  }

  public static String header(ConsumerRecord<?, ?> record, String name) {
    var header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
