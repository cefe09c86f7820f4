package dev.mailroom.connector.ownership;

import dev.mailroom.connector.config.ConnectorConfig;
import dev.mailroom.events.EventCodec;
import dev.mailroom.events.cloudevents.CloudEventHeaders;
import dev.mailroom.events.status.AccountStatus;
import dev.mailroom.events.status.AccountStatusChanged;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Follows health-service's decisions on the compacted account-status topic, every partition, from
 * the beginning: a disconnected account is not retried until its owner asks to reconnect. Every
 * instance reads everything (one small record per account), so an account that moves to another
 * instance is not retried there either.
 */
@ApplicationScoped
public class StatusFollower {

  private final AccountOwnership ownership;
  private final ConnectorConfig config;
  private final String bootstrapServers;
  private volatile KafkaConsumer<String, byte[]> consumer;
  private volatile Thread thread;

  StatusFollower(
      AccountOwnership ownership,
      ConnectorConfig config,
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
    this.ownership = ownership;
    this.config = config;
    this.bootstrapServers = bootstrapServers;
  }

  void onStart(@Observes StartupEvent event) {
    consumer = new KafkaConsumer<>(properties());
    thread = Thread.ofPlatform().name("account-status").daemon().start(this::pollLoop);
  }

  void onStop(@Observes ShutdownEvent event) {
    if (consumer != null) {
      consumer.wakeup();
    }
  }

  /**
   * Waits for the topic, then follows it. Nothing here gives up while the broker is away: at start
   * partitionsFor() throws a TimeoutException after 10 s without an answer, and that used to end
   * the thread for good, so an instance started during an outage would retry disconnected accounts
   * for ever. Once assigned, poll() simply returns nothing until the broker is back.
   */
  private void pollLoop() {
    try (KafkaConsumer<String, byte[]> c = consumer) {
      String topic = config.topic().accountStatus();
      List<TopicPartition> partitions = List.of();
      while (partitions.isEmpty()) {
        try {
          // The topic may not exist yet on a fresh cluster: health-service creates nothing.
          partitions =
              c.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                  .map(p -> new TopicPartition(p.topic(), p.partition()))
                  .toList();
        } catch (TimeoutException brokerAway) {
          Log.warnf(
              "account status follower: no answer from the broker about %s yet, asking again",
              topic);
        }
        if (partitions.isEmpty()) {
          Thread.sleep(1000);
        }
      }
      c.assign(partitions);
      c.seekToBeginning(partitions);
      while (true) {
        try {
          for (ConsumerRecord<String, byte[]> record : c.poll(Duration.ofMillis(500))) {
            apply(record);
          }
        } catch (RetriableException e) {
          Log.warnf("account status follower: %s; polling again", e.getMessage());
          Thread.sleep(1000);
        }
      }
    } catch (WakeupException shuttingDown) {
      Log.info("account status follower stopped");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      Log.error("account status follower failed; disconnected accounts may be retried", e);
    }
  }

  private void apply(ConsumerRecord<String, byte[]> record) {
    if (record.value() == null) {
      return;
    }
    try {
      Header type = record.headers().lastHeader(CloudEventHeaders.TYPE);
      if (EventCodec.decode(
              type == null ? null : new String(type.value(), StandardCharsets.UTF_8),
              record.value())
          instanceof AccountStatusChanged changed) {
        ownership.statusChanged(changed.accountId(), changed.status());
      }
    } catch (RuntimeException e) {
      Log.errorf(
          "skipping unreadable account status at %d@%d: %s",
          record.partition(), record.offset(), e.getMessage());
    }
  }

  private Properties properties() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "connector-account-status");
    return p;
  }

  /** Whether a status means "do not retry". */
  static boolean parks(AccountStatus status) {
    return status == AccountStatus.DISCONNECTED;
  }
}
