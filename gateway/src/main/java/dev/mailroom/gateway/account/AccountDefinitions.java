package dev.mailroom.gateway.account;

import dev.mailroom.events.EventCodec;
import dev.mailroom.events.EventType;
import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.gateway.problem.GatewayException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Reads an account's current definition back from the accounts topic, the only place that holds its
 * sealed password (sync-service does not store it). An update must re-publish the account with that
 * password as it is: the gateway never sees the clear one again.
 *
 * <p>A short-lived consumer, assigned (no consumer group) to the one partition that holds the key,
 * reads it from the start to the end offset of the moment and keeps the last record of the key: the
 * topic is compacted, so that is a few records per account, not the account's history.
 */
@ApplicationScoped
public class AccountDefinitions {

  private final AccountsConfig config;
  private final String bootstrapServers;

  @Inject
  public AccountDefinitions(
      AccountsConfig config,
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
    this.config = config;
    this.bootstrapServers = bootstrapServers;
  }

  /**
   * The account's current definition, if it exists and {@code ownerId} owns it; otherwise 404, the
   * same either way (as every other read of the gateway).
   */
  public AccountDefined requireOwned(String accountId, String ownerId) {
    AccountDefined account = require(accountId);
    if (!account.ownerId().equals(ownerId)) {
      throw GatewayException.NotFound.account(account.accountId().toString());
    }
    return account;
  }

  /** The account's current definition whoever owns it (for admins); 404 when there is none. */
  public AccountDefined require(String accountId) {
    AccountId id;
    try {
      id = AccountId.of(accountId);
    } catch (IllegalArgumentException e) {
      throw GatewayException.NotFound.account(accountId);
    }
    return latest(id).orElseThrow(() -> GatewayException.NotFound.account(id.toString()));
  }

  /**
   * @return empty when the topic has no record of the account, or its last one is a tombstone
   * @throws GatewayException.Unavailable when the broker does not answer within the read timeout
   */
  public Optional<AccountDefined> latest(AccountId id) {
    Duration timeout = config.readTimeout();
    Instant deadline = Instant.now().plus(timeout);
    String key = id.toString();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties(timeout))) {
      List<PartitionInfo> partitions = consumer.partitionsFor(config.topic(), timeout);
      if (partitions == null || partitions.isEmpty()) {
        return Optional.empty();
      }
      TopicPartition partition =
          new TopicPartition(config.topic(), partitionOf(key, partitions.size()));
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition), timeout).get(partition);
      byte[] last = null;
      while (consumer.position(partition, timeout) < end) {
        if (Instant.now().isAfter(deadline)) {
          throw GatewayException.Unavailable.accountRead(
              new KafkaException("the accounts partition was not read to its end in " + timeout));
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.offset() < end && key.equals(record.key())) {
            last = record.value(); // null: a tombstone, the account was deleted
          }
        }
      }
      return last == null
          ? Optional.empty()
          : Optional.of(
              (AccountDefined) EventCodec.decode(EventType.ACCOUNT_DEFINED.ceType(), last));
    } catch (KafkaException e) {
      throw GatewayException.Unavailable.accountRead(e);
    }
  }

  /**
   * Every account's current definition, read from the start to the end offsets of the moment of
   * every partition (for operations on all accounts, such as sealing every password anew).
   *
   * @throws GatewayException.Unavailable when the broker does not answer within the read timeout
   */
  public List<AccountDefined> all() {
    Duration timeout = config.readTimeout();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties(timeout))) {
      List<PartitionInfo> infos = consumer.partitionsFor(config.topic(), timeout);
      if (infos == null || infos.isEmpty()) {
        return List.of();
      }
      List<TopicPartition> partitions =
          infos.stream().map(p -> new TopicPartition(config.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
      Map<String, byte[]> latest = new LinkedHashMap<>();
      // A partition-sized read, so the deadline grows with the accounts, not one read's timeout.
      Instant deadline = Instant.now().plus(timeout.multipliedBy(partitions.size()));
      while (partitions.stream().anyMatch(p -> consumer.position(p, timeout) < ends.get(p))) {
        if (Instant.now().isAfter(deadline)) {
          throw GatewayException.Unavailable.accountRead(
              new KafkaException("the accounts topic was not read to its end in time"));
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          TopicPartition partition = new TopicPartition(record.topic(), record.partition());
          if (record.key() != null && record.offset() < ends.get(partition)) {
            latest.put(record.key(), record.value()); // null: a tombstone
          }
        }
      }
      return latest.values().stream()
          .filter(java.util.Objects::nonNull)
          .map(v -> (AccountDefined) EventCodec.decode(EventType.ACCOUNT_DEFINED.ceType(), v))
          .toList();
    } catch (KafkaException e) {
      throw GatewayException.Unavailable.accountRead(e);
    }
  }

  /**
   * The partition Kafka's default partitioner gives a non-null key (murmur2 of its bytes), so the
   * read finds the records the producer of {@link AccountEventPublisher} wrote.
   */
  static int partitionOf(String key, int partitions) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
  }

  private Properties properties(Duration timeout) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "mailroom-gateway-account-read");
    p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(timeout.toMillis()));
    p.put(
        ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG,
        String.valueOf(Math.min(timeout.toMillis(), 5000)));
    return p;
  }
}
