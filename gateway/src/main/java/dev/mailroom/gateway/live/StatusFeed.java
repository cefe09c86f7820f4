package dev.mailroom.gateway.live;

import dev.mailroom.events.EventCodec;
import dev.mailroom.events.EventType;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.status.AccountStatusChanged;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Account status changes for the live streams, as health-service commits them (its outbox puts them
 * on the account-status topic). Every gateway instance reads every partition, from the end (no
 * consumer group): a stream wants what happens while it is open; the status at opening time comes
 * from health-service. Started with the first stream, so an instance nobody streams from holds no
 * consumer.
 */
@ApplicationScoped
public class StatusFeed {

  private final String bootstrap;
  private final String topic;
  private final Map<AccountId, Set<Consumer<AccountStatusChanged>>> listeners =
      new ConcurrentHashMap<>();
  private volatile KafkaConsumer<String, byte[]> consumer;

  @Inject
  public StatusFeed(
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap, LiveConfig config) {
    this.bootstrap = bootstrap;
    this.topic = config.statusTopic();
  }

  /**
   * Calls {@code listener} with each status change of the account until the returned handle runs.
   */
  public Runnable follow(AccountId account, Consumer<AccountStatusChanged> listener) {
    start();
    listeners.computeIfAbsent(account, a -> ConcurrentHashMap.newKeySet()).add(listener);
    return () ->
        listeners.computeIfPresent(
            account,
            (a, set) -> {
              set.remove(listener);
              return set.isEmpty() ? null : set;
            });
  }

  private synchronized void start() {
    if (consumer != null) {
      return;
    }
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "mailroom-gateway-status-feed");
    consumer = new KafkaConsumer<>(p);
    KafkaConsumer<String, byte[]> c = consumer;
    Thread.ofVirtual().name("status-feed").start(() -> run(c));
  }

  private void run(KafkaConsumer<String, byte[]> c) {
    try {
      List<TopicPartition> partitions = List.of();
      while (partitions.isEmpty()) {
        partitions =
            c.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
        if (partitions.isEmpty()) {
          Thread.sleep(1000);
        }
      }
      c.assign(partitions);
      c.seekToEnd(partitions);
      partitions.forEach(tp -> c.position(tp)); // fix the start now, not at the first poll
      while (true) {
        for (ConsumerRecord<String, byte[]> record : c.poll(Duration.ofSeconds(1))) {
          dispatch(record);
        }
      }
    } catch (WakeupException | InterruptedException stopping) {
      // shutdown
    } catch (RuntimeException e) {
      Log.errorf(
          "status feed stopped: live streams get no account status changes (%s)", e.getMessage());
    } finally {
      c.close();
    }
  }

  private void dispatch(ConsumerRecord<String, byte[]> record) {
    if (record.value() == null || record.key() == null) {
      return; // a deleted account's tombstone: the mail stream says account.deleted
    }
    try {
      var set = listeners.get(AccountId.of(record.key()));
      if (set == null) {
        return;
      }
      var event =
          (AccountStatusChanged)
              EventCodec.decode(EventType.ACCOUNT_STATUS_CHANGED.ceType(), record.value());
      set.forEach(listener -> listener.accept(event));
    } catch (RuntimeException e) {
      Log.warnf(
          "skipping unreadable status record %d@%d: %s",
          record.partition(), record.offset(), e.getMessage());
    }
  }

  void stop(@Observes ShutdownEvent ignored) {
    KafkaConsumer<String, byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
  }
}
