package dev.mailroom.connector.ownership;

import dev.mailroom.connector.command.CommandPartitions;
import dev.mailroom.connector.config.ConnectorConfig;
import dev.mailroom.connector.session.SessionManager;
import dev.mailroom.events.EventCodec;
import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.events.cloudevents.CloudEventHeaders;
import dev.mailroom.events.model.AccountId;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Which accounts this instance holds follows Kafka's assignment of the accounts topic's partitions
 * to the connector group: two instances never hold the same partition, and when one dies its
 * partitions, and so its accounts, move to the others.
 *
 * <p>The topic is compacted and is read from the beginning of each assigned partition on every
 * assignment: its latest record per account is the account's definition. No offset is committed.
 *
 * <p>An account health-service declared disconnected is known but not held (not retried) until a
 * later status (the owner's reconnect, see {@link StatusFollower}) lets it go again.
 */
@ApplicationScoped
public class AccountOwnership implements ConsumerRebalanceListener {

  private final SessionManager sessions;
  private final String topic;
  private final Properties consumerProperties;
  private final CommandPartitions commandPartitions;
  private volatile KafkaConsumer<String, byte[]> consumer;
  private volatile boolean leaveGroupOnClose = true;
  private volatile Thread thread;
  private volatile boolean stopping;

  /** Counted down by {@link #stop}: ends the pause before a restart without an interrupt. */
  private final java.util.concurrent.CountDownLatch stopSignal =
      new java.util.concurrent.CountDownLatch(1);

  private volatile Instant lastPoll;

  /** The definitions of the accounts on this instance's partitions, held or parked. */
  private final Map<AccountId, Owned> owned = new HashMap<>();

  private final Set<AccountId> disconnected = new HashSet<>();

  private final NewAccounts newAccounts = new NewAccounts();

  private record Owned(AccountDefined account, int partition) {}

  /** The accounts topic's partitions this instance owns: the outbox follows them (same key). */
  private final Set<Integer> partitions = java.util.concurrent.ConcurrentHashMap.newKeySet();

  public Set<Integer> ownedPartitions() {
    return Set.copyOf(partitions);
  }

  /** An owned account's definition (held, or parked while disconnected). */
  public synchronized java.util.Optional<AccountDefined> definition(AccountId id) {
    Owned o = owned.get(id);
    return o == null ? java.util.Optional.empty() : java.util.Optional.of(o.account());
  }

  @Inject
  AccountOwnership(
      SessionManager sessions,
      ConnectorConfig config,
      CommandPartitions commandPartitions,
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
    this(
        sessions,
        config.topic().accounts(),
        consumerProperties(
            bootstrapServers, config.ownership().groupId(), config.ownership().sessionTimeout()),
        commandPartitions);
  }

  /** One ownership consumer on its own: a test runs two of these as two instances of one group. */
  AccountOwnership(SessionManager sessions, String topic, Properties consumerProperties) {
    this(sessions, topic, consumerProperties, new CommandPartitions());
  }

  /**
   * @param commandPartitions told of every assignment and revocation, so that the command consumer
   *     reads the same partition numbers of the commands topic
   */
  public AccountOwnership(
      SessionManager sessions,
      String topic,
      Properties consumerProperties,
      CommandPartitions commandPartitions) {
    this.sessions = sessions;
    this.topic = topic;
    this.consumerProperties = consumerProperties;
    this.commandPartitions = commandPartitions;
  }

  void onStart(@Observes StartupEvent event) {
    start();
  }

  void onStop(@Observes ShutdownEvent event) {
    stop();
  }

  void start() {
    consumer = new KafkaConsumer<>(consumerProperties);
    thread = Thread.ofPlatform().name("account-ownership").daemon().start(this::pollLoop);
  }

  /**
   * Stops polling and closes the consumer without leaving the group, which is what the group sees
   * when an instance dies: its partitions move only once its session times out. Its sessions are
   * not released here; the caller does that, as a dying process drops its connections.
   */
  void halt() {
    leaveGroupOnClose = false;
    stop();
  }

  void stop() {
    stopping = true;
    stopSignal.countDown();
    if (consumer != null) {
      consumer.wakeup();
    }
    if (thread != null) {
      try {
        thread.join(Duration.ofSeconds(15));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** For readiness: the loop is alive and polled recently. */
  public boolean isPolling(Duration within) {
    Instant last = lastPoll;
    return thread != null
        && thread.isAlive()
        && last != null
        && last.isAfter(Instant.now().minus(within));
  }

  /**
   * Polls until stopped. Whatever else ends a poll, an {@link Error} included, closes the consumer
   * (leaving the group, so the accounts move at once), releases this instance's sessions, and
   * starts again with a new consumer after a growing pause: an instance whose loop died would
   * otherwise keep its partitions' accounts connected, hold no new ones and serve none of their
   * commands, while looking alive.
   */
  private void pollLoop() {
    Duration pause = RESTART_PAUSE;
    while (!stopping) {
      KafkaConsumer<String, byte[]> c = consumer;
      boolean polled = false;
      try {
        c.subscribe(List.of(topic), this);
        while (true) {
          for (ConsumerRecord<String, byte[]> record : c.poll(Duration.ofMillis(500))) {
            apply(record);
          }
          lastPoll = Instant.now();
          polled = true;
        }
      } catch (WakeupException shuttingDown) {
        close(c, leaveGroupOnClose);
        Log.info("account ownership stopped");
        return;
      } catch (Throwable failure) {
        if (stopping) {
          close(c, leaveGroupOnClose);
          return;
        }
        // A loop that polled before failing starts again soon; one that keeps failing waits longer.
        pause =
            polled
                ? RESTART_PAUSE
                : java.util.Collections.min(List.of(pause.multipliedBy(2), MAX_RESTART_PAUSE));
        Log.errorf(
            failure,
            "account ownership loop failed; its accounts are released and the loop starts again in %d s",
            pause.toSeconds());
        restart(c, pause);
      }
    }
  }

  static final Duration RESTART_PAUSE = Duration.ofSeconds(1);
  static final Duration MAX_RESTART_PAUSE = Duration.ofMinutes(1);

  /** Never throws: the loop must survive whatever broke the consumer, or the heap. */
  private void restart(KafkaConsumer<String, byte[]> failed, Duration pause) {
    try {
      close(failed, true);
      newAccounts.reset();
      synchronized (this) {
        // The revocation callback may not have run (an Error, a consumer already broken).
        Set<Integer> held =
            owned.values().stream().map(Owned::partition).collect(Collectors.toSet());
        owned.clear();
        sessions.releasePartitions(held);
      }
      if (!stopSignal.await(pause.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
        consumer = new KafkaConsumer<>(consumerProperties);
      }
    } catch (Throwable again) {
      // Out of memory again, say: the next turn of the loop tries once more after its pause.
      try {
        stopSignal.await(pause.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void close(KafkaConsumer<String, byte[]> c, boolean leaveGroup) {
    try {
      c.close(
          CloseOptions.groupMembershipOperation(
              leaveGroup
                  ? CloseOptions.GroupMembershipOperation.LEAVE_GROUP
                  : CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP));
    } catch (RuntimeException e) {
      Log.debugf("closing the ownership consumer: %s", e.getMessage());
    }
  }

  private void apply(ConsumerRecord<String, byte[]> record) {
    AccountId accountId;
    try {
      accountId = AccountId.of(record.key());
    } catch (IllegalArgumentException e) {
      Log.errorf(
          "skipping account record with a bad key at %d@%d", record.partition(), record.offset());
      return;
    }
    if (record.value() == null) {
      newAccounts.read(accountId, record.partition(), record.offset(), null, Instant.now());
      forget(accountId);
      return;
    }
    try {
      Header type = record.headers().lastHeader(CloudEventHeaders.TYPE);
      var event =
          EventCodec.decode(
              type == null ? null : new String(type.value(), StandardCharsets.UTF_8),
              record.value());
      if (event instanceof AccountDefined defined) {
        boolean isNew =
            newAccounts.read(
                accountId, record.partition(), record.offset(), defined, Instant.now());
        defined(defined, record.partition(), isNew);
      }
    } catch (RuntimeException e) {
      Log.errorf("skipping unreadable definition of account %s: %s", accountId, e.getMessage());
    }
  }

  private synchronized void defined(AccountDefined account, int partition, boolean isNew) {
    owned.put(account.accountId(), new Owned(account, partition));
    if (disconnected.contains(account.accountId())) {
      Log.infof(
          "account %s is disconnected: not connecting until its owner asks to reconnect",
          account.accountId());
      return;
    }
    sessions.hold(account, partition, isNew);
  }

  private synchronized void forget(AccountId accountId) {
    owned.remove(accountId);
    sessions.release(accountId);
  }

  /** From {@link StatusFollower}: parks a disconnected account, resumes one that may be retried. */
  synchronized void statusChanged(
      AccountId accountId, dev.mailroom.events.status.AccountStatus status) {
    if (StatusFollower.parks(status)) {
      if (disconnected.add(accountId) && owned.containsKey(accountId)) {
        Log.infof("account %s is disconnected: stopped retrying", accountId);
        sessions.release(accountId);
      }
      return;
    }
    if (disconnected.remove(accountId)) {
      Owned o = owned.get(accountId);
      if (o != null) {
        Log.infof("account %s is %s: connecting again", accountId, status);
        sessions.hold(o.account(), o.partition());
      }
    }
  }

  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    if (!partitions.isEmpty()) {
      Log.infof("assigned account partitions %s", numbers(partitions));
      this.partitions.addAll(numbers(partitions));
      Map<Integer, Long> ends = new HashMap<>();
      consumer.endOffsets(partitions).forEach((tp, end) -> ends.put(tp.partition(), end));
      newAccounts.assigned(ends);
      consumer.seekToBeginning(partitions);
      commandPartitions.assigned(numbers(partitions));
    }
  }

  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    if (!partitions.isEmpty()) {
      Log.infof("revoked account partitions %s", numbers(partitions));
      Set<Integer> gone = numbers(partitions);
      newAccounts.revoked(gone);
      commandPartitions.revoked(gone);
      this.partitions.removeAll(gone);
      synchronized (this) {
        owned.values().removeIf(o -> gone.contains(o.partition()));
        sessions.releasePartitions(gone);
      }
    }
  }

  @Override
  public void onPartitionsLost(Collection<TopicPartition> partitions) {
    onPartitionsRevoked(partitions);
  }

  private static Set<Integer> numbers(Collection<TopicPartition> partitions) {
    return partitions.stream().map(TopicPartition::partition).collect(Collectors.toSet());
  }

  static Properties consumerProperties(
      String bootstrapServers, String groupId, java.time.Duration sessionTimeout) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    // Cooperative: a rebalance moves only the partitions that change hands, so the accounts
    // that stay are not disconnected and reconnected.
    p.put(
        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        CooperativeStickyAssignor.class.getName());
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "connector-ownership");
    p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, String.valueOf(sessionTimeout.toMillis()));
    // Kafka's advice: a heartbeat at most a third of the session timeout; a fifth leaves room.
    p.put(
        ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
        String.valueOf(Math.max(500, sessionTimeout.toMillis() / 5)));
    return p;
  }
}
