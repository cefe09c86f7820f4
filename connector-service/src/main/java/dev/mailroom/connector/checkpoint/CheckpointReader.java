package dev.mailroom.connector.checkpoint;

import dev.mailroom.events.EventCodec;
import dev.mailroom.events.MailroomEvent;
import dev.mailroom.events.cloudevents.CloudEventHeaders;
import dev.mailroom.events.mail.CommandApplied;
import dev.mailroom.events.mail.CommandFailed;
import dev.mailroom.events.mail.FlagsChanged;
import dev.mailroom.events.mail.MailEvent;
import dev.mailroom.events.mail.MailboxChanged;
import dev.mailroom.events.mail.MailboxStatus;
import dev.mailroom.events.mail.MessageAdded;
import dev.mailroom.events.mail.MessageExpunged;
import dev.mailroom.events.mail.MessageSkipped;
import dev.mailroom.events.mail.SyncProgress;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.MailboxPath;
import dev.mailroom.events.model.ModSeq;
import dev.mailroom.events.model.UidValidity;
import io.quarkus.logging.Log;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Rebuilds an account's mailbox states from what the connector already published on the mail topic
 * (docs/adr/0002): the account's partition is read to its current end and its events are replayed
 * in order. The read starts at the account's creation less {@code clockSkew} (no event of the
 * account is older; Kafka finds the offset by record timestamp), or at the partition's start for an
 * account defined before its definition carried a creation time. The topic is the only store, so a
 * restart and a move to another instance resume the same way.
 *
 * <p>Reading a partition costs the same for one account as for all of its accounts, so requests are
 * batched: the sessions that ask while a read is under way wait for the next one, which reads each
 * partition they need once, for all of them. When an instance takes over hundreds of accounts at
 * once, that is a handful of partition reads instead of one per account.
 */
public final class CheckpointReader {

  private final String bootstrapServers;
  private final String mailTopic;
  private final Duration clockSkew;
  private final ReentrantLock lock = new ReentrantLock();
  private Map<String, Request> pending = new HashMap<>();
  private boolean reading;
  private final AtomicLong recordsRead = new AtomicLong();

  /** One account's wait for the next read, and where its events can start. */
  private record Request(
      CompletableFuture<Map<MailboxPath, MailboxState>> result, Instant createdAt) {}

  /**
   * @param clockSkew how much older than the account's creation (the gateway's clock) its first
   *     event's timestamp (the connector's or the broker's clock) may be
   */
  public CheckpointReader(String bootstrapServers, String mailTopic, Duration clockSkew) {
    this.bootstrapServers = bootstrapServers;
    this.mailTopic = mailTopic;
    this.clockSkew = clockSkew;
  }

  /**
   * Blocks until the account's states are rebuilt, sharing the read with every other account asking
   * at the same time.
   *
   * @param createdAt when the account was first defined, or null when its definition does not say
   * @return mailbox path to its state; empty for an account never synced
   */
  public Map<MailboxPath, MailboxState> restore(AccountId account, Instant createdAt)
      throws InterruptedException {
    CompletableFuture<Map<MailboxPath, MailboxState>> result;
    lock.lock();
    try {
      result =
          pending
              .computeIfAbsent(
                  account.toString(), k -> new Request(new CompletableFuture<>(), createdAt))
              .result();
      if (!reading) {
        reading = true;
        Thread.ofVirtual().name("checkpoint-reader").start(this::readWhilePending);
      }
    } finally {
      lock.unlock();
    }
    try {
      return result.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new IllegalStateException(e.getCause());
    }
  }

  private void readWhilePending() {
    while (true) {
      Map<String, Request> batch;
      lock.lock();
      try {
        if (pending.isEmpty()) {
          reading = false;
          return;
        }
        batch = pending;
        pending = new HashMap<>();
      } finally {
        lock.unlock();
      }
      try {
        read(batch);
      } catch (RuntimeException e) {
        // A read that failed fails them all; a failure in closing the consumer comes after
        // they were answered, and then completing them again changes nothing.
        batch.values().forEach(request -> request.result().completeExceptionally(e));
      }
    }
  }

  /**
   * One pass over every partition that holds one of the accounts, from the oldest place one of them
   * can start to its end. The accounts have their states before the consumer is closed: closing
   * waits for the fetch still parked on the broker (up to {@code fetch.max.wait.ms}).
   */
  private void read(Map<String, Request> accounts) {
    long started = System.nanoTime();
    Map<String, Map<MailboxPath, MailboxState>> states = new HashMap<>();
    accounts.keySet().forEach(a -> states.put(a, new HashMap<>()));
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties())) {
      var infos = consumer.partitionsFor(mailTopic, Duration.ofSeconds(30));
      if (infos == null || infos.isEmpty()) {
        answer(accounts, states);
        return;
      }
      // Per partition the earliest start of its accounts: null (the beginning) wins.
      Map<TopicPartition, Instant> from = new HashMap<>();
      Set<TopicPartition> fromBeginning = new HashSet<>();
      accounts.forEach(
          (a, request) -> {
            TopicPartition tp = new TopicPartition(mailTopic, partitionOf(a, infos.size()));
            if (request.createdAt() == null) {
              fromBeginning.add(tp);
            } else {
              from.merge(tp, request.createdAt().minus(clockSkew), (x, y) -> x.isBefore(y) ? x : y);
            }
          });
      fromBeginning.forEach(from::remove);
      Set<TopicPartition> partitions = new HashSet<>(fromBeginning);
      partitions.addAll(from.keySet());
      consumer.assign(partitions);
      if (!fromBeginning.isEmpty()) {
        consumer.seekToBeginning(
            fromBeginning); // an empty list would mean every assigned partition
      }
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      if (!from.isEmpty()) {
        Map<TopicPartition, Long> times = new HashMap<>();
        from.forEach((tp, t) -> times.put(tp, Math.max(0, t.toEpochMilli())));
        consumer
            .offsetsForTimes(times)
            .forEach(
                (tp, found) ->
                    // No record that recent: nothing of the account on this partition yet.
                    consumer.seek(tp, found == null ? ends.get(tp) : found.offset()));
      }
      // Retention may have removed some of an account's events only where the read starts at the
      // partition's first record and records were deleted before it. Elsewhere the states are
      // whole, and a status that counts more messages than they know is not taken for expired
      // adds (MailboxState#takeRestoredGap).
      Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(partitions);
      Set<Integer> trimmed = new HashSet<>();
      for (TopicPartition tp : partitions) {
        long first = beginnings.get(tp);
        if (first > 0 && consumer.position(tp) <= first) {
          trimmed.add(tp.partition());
        }
      }
      long records = 0;
      long read = 0;
      while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          read++;
          Map<MailboxPath, MailboxState> account = states.get(record.key());
          if (account != null
              && record.value() != null
              && record.offset()
                  < ends.get(new TopicPartition(record.topic(), record.partition()))) {
            apply(account, decode(record));
            records++;
          }
        }
      }
      recordsRead.addAndGet(read);
      states.forEach(
          (account, mailboxes) -> {
            boolean cut = trimmed.contains(partitionOf(account, infos.size()));
            mailboxes.values().forEach(state -> state.markRestored(cut));
          });
      Log.infof(
          "restored the mailbox states of %d account(s) from %d event(s), %d record(s) read on %d partition(s)"
              + " (%d from the beginning) in %d ms",
          accounts.size(),
          records,
          read,
          partitions.size(),
          fromBeginning.size(),
          (System.nanoTime() - started) / 1_000_000);
      answer(accounts, states);
    }
  }

  private static void answer(
      Map<String, Request> accounts, Map<String, Map<MailboxPath, MailboxState>> states) {
    accounts.forEach((key, request) -> request.result().complete(states.get(key)));
  }

  /** How many records the reads so far went through, the accounts' own and the others'. */
  long recordsRead() {
    return recordsRead.get();
  }

  /** Kafka's default partitioner for a keyed record (murmur2 of the serialized key). */
  static int partitionOf(String key, int partitions) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
  }

  /** Replays one event onto the states; the same order as the session produced them. */
  static void apply(Map<MailboxPath, MailboxState> states, MailroomEvent any) {
    if (!(any instanceof MailEvent event)) {
      return; // not a mail event (or one this version does not know): nothing to replay
    }
    switch (event) {
      case MessageAdded m ->
          at(states, m.mailbox(), m.uidValidity()).known().put(m.uid().value(), m.flags());
      case FlagsChanged f -> {
        MailboxState s = states.get(f.mailbox());
        if (s != null
            && s.uidValidity().equals(f.uidValidity())
            && s.known().containsKey(f.uid().value())) {
          s.known().put(f.uid().value(), f.flags());
        }
      }
      case MessageExpunged x -> {
        MailboxState s = states.get(x.mailbox());
        if (s != null && s.uidValidity().equals(x.uidValidity())) {
          s.known().remove(x.uid().value());
        }
      }
      case MessageSkipped k ->
          at(states, k.mailbox(), k.uidValidity()).skipped().add(k.uid().value());
      case MailboxStatus st ->
          at(states, st.path(), st.uidValidity())
              .checkpoint(
                  new MailboxCheckpoint(
                      st.uidValidity(),
                      st.uidNext(),
                      st.highestModSeq() == null ? ModSeq.NONE : st.highestModSeq(),
                      st.messages(),
                      st.unseen(),
                      st.observedAt()));
      case MailboxChanged c -> {
        switch (c.change()) {
          case DELETED -> states.remove(c.path());
          case RENAMED -> {
            MailboxState moved = states.remove(c.previousPath());
            if (moved != null) {
              states.put(c.path(), moved);
            }
          }
          case RESET -> states.put(c.path(), new MailboxState(c.uidValidity()));
          case CREATED -> {}
        }
      }
      case SyncProgress p -> {} // progress of a first sync: the added events carry its state
      case CommandApplied
              a -> {} // a command's outcome: the mail events before it carry its changes
      case CommandFailed f -> {}
    }
  }

  private static MailboxState at(
      Map<MailboxPath, MailboxState> states, MailboxPath path, UidValidity uidValidity) {
    MailboxState s = states.get(path);
    if (s == null || !s.uidValidity().equals(uidValidity)) {
      s = new MailboxState(uidValidity);
      states.put(path, s);
    }
    return s;
  }

  private static MailroomEvent decode(ConsumerRecord<String, byte[]> record) {
    Header type = record.headers().lastHeader(CloudEventHeaders.TYPE);
    try {
      return EventCodec.decode(
          type == null ? null : new String(type.value(), StandardCharsets.UTF_8), record.value());
    } catch (RuntimeException e) {
      Log.warnf(
          "ignoring an unreadable event at %d@%d: %s",
          record.partition(), record.offset(), e.getMessage());
      return null;
    }
  }

  private Properties properties() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(8 * 1024 * 1024));
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "connector-checkpoints");
    // The read ends at the partitions' ends, and then its last fetch is parked on the broker for
    // up to this long, which closing the consumer waits for (Kafka's default is 500 ms).
    p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "50");
    // Only committed records: a checkpoint an aborted write never finished must not count.
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return p;
  }
}
