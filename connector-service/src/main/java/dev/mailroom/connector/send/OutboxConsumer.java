package dev.mailroom.connector.send;

import dev.mailroom.connector.session.Backoff;
import dev.mailroom.events.EventCodec;
import dev.mailroom.events.MailroomEvent;
import dev.mailroom.events.cloudevents.CloudEventHeaders;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.outbox.MessageSendFailed;
import dev.mailroom.events.outbox.MessageSent;
import dev.mailroom.events.outbox.OutboxEvent;
import dev.mailroom.events.outbox.SendRequested;
import io.quarkus.logging.Log;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;

/**
 * Reads the send requests of the accounts this instance owns and sends each, one account's in
 * order, every account on its own virtual thread (one account's retries never hold up another's).
 *
 * <p>The outbox topic is keyed like the accounts topic and has as many partitions, so it reads the
 * same partition numbers the ownership consumer owns: the account's session is here. Kafka is the
 * state: a request's offset is committed once its outcome is published, and on (re)assignment the
 * partition is read up to its end before anything is sent, so an outcome published just before a
 * crash (after the request's last commit) is seen and the message is not sent again.
 */
public final class OutboxConsumer {

  private final Properties consumerProperties;
  private final String topic;
  private final Supplier<Set<Integer>> partitions;
  private final Sender sender;
  private final Function<MailroomEvent, java.util.concurrent.CompletableFuture<Void>> publish;
  private final OutboxConfig config;
  private final Clock clock;

  private final Set<UUID> done = ConcurrentHashMap.newKeySet();
  private final Map<UUID, Integer> attemptsSeen = new ConcurrentHashMap<>();
  private final Map<Integer, ConcurrentSkipListSet<Long>> inFlight = new ConcurrentHashMap<>();
  private final Map<AccountId, LinkedBlockingQueue<Job>> queues = new ConcurrentHashMap<>();
  private volatile KafkaConsumer<String, byte[]> consumer;
  private volatile boolean running;
  private Thread thread;

  private record Job(SendRequested request, int partition, long offset) {}

  OutboxConsumer(
      Properties consumerProperties,
      String topic,
      Supplier<Set<Integer>> partitions,
      Sender sender,
      Function<MailroomEvent, java.util.concurrent.CompletableFuture<Void>> publish,
      OutboxConfig config,
      Clock clock) {
    this.consumerProperties = consumerProperties;
    this.topic = topic;
    this.partitions = partitions;
    this.sender = sender;
    this.publish = publish;
    this.config = config;
    this.clock = clock;
  }

  void start() {
    running = true;
    consumer = new KafkaConsumer<>(consumerProperties);
    thread = Thread.ofPlatform().name("outbox").daemon().start(this::pollLoop);
  }

  void stop() {
    running = false;
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
    sender.close();
  }

  private void pollLoop() {
    KafkaConsumer<String, byte[]> c = consumer;
    Set<Integer> assigned = Set.of();
    // Per partition: the end offset at assignment, until the partition has been read up to it.
    Map<Integer, Long> catchUp = new HashMap<>();
    Map<Integer, java.util.List<Job>> held = new HashMap<>();
    Map<Integer, Long> polled = new HashMap<>();
    try {
      while (running) {
        Set<Integer> desired = partitions.get();
        if (!desired.equals(assigned)) {
          Set<Integer> added = new HashSet<>(desired);
          added.removeAll(assigned);
          c.assign(desired.stream().map(p -> new TopicPartition(topic, p)).toList());
          if (!added.isEmpty()) {
            var ends = c.endOffsets(added.stream().map(p -> new TopicPartition(topic, p)).toList());
            ends.forEach((tp, end) -> catchUp.put(tp.partition(), end));
          }
          assigned = desired;
          Log.infof("outbox partitions %s", assigned);
        }
        if (assigned.isEmpty()) {
          Thread.sleep(500);
          continue;
        }
        for (ConsumerRecord<String, byte[]> record : c.poll(Duration.ofMillis(500))) {
          polled.put(record.partition(), record.offset());
          read(
              record,
              catchUp.containsKey(record.partition())
                  ? held.computeIfAbsent(record.partition(), p -> new java.util.ArrayList<>())
                  : null);
        }
        for (var it = catchUp.entrySet().iterator(); it.hasNext(); ) {
          var e = it.next();
          TopicPartition tp = new TopicPartition(topic, e.getKey());
          if (!assigned.contains(e.getKey()) || c.position(tp) >= e.getValue()) {
            it.remove();
            for (Job job : held.getOrDefault(e.getKey(), java.util.List.of())) {
              dispatch(job);
            }
            held.remove(e.getKey());
          }
        }
        commit(c, assigned, polled, catchUp);
      }
    } catch (WakeupException | InterruptedException stopping) {
      Log.info("outbox stopped");
    } catch (RuntimeException e) {
      Log.error("outbox loop failed; this instance sends nothing more", e);
    } finally {
      c.close();
    }
  }

  /**
   * @param held where requests wait while their partition is caught up; null: dispatch now
   */
  private void read(ConsumerRecord<String, byte[]> record, java.util.List<Job> held) {
    Header type = record.headers().lastHeader(CloudEventHeaders.TYPE);
    MailroomEvent event;
    try {
      event =
          EventCodec.decode(
              type == null ? null : new String(type.value(), StandardCharsets.UTF_8),
              record.value());
    } catch (RuntimeException e) {
      Log.errorf(
          "skipping unreadable outbox record %d@%d: %s",
          record.partition(), record.offset(), e.getMessage());
      return;
    }
    if (!(event instanceof OutboxEvent outbox)) {
      return; // another topic's event: not on the outbox topic
    }
    switch (outbox) {
      case SendRequested request -> {
        if (done.contains(request.outboxId())) {
          return;
        }
        inFlight
            .computeIfAbsent(record.partition(), p -> new ConcurrentSkipListSet<>())
            .add(record.offset());
        Job job = new Job(request, record.partition(), record.offset());
        if (held != null) {
          held.add(job);
        } else {
          dispatch(job);
        }
      }
      case MessageSent sent -> done.add(sent.outboxId());
      case MessageSendFailed failed -> {
        if (failed.permanent()) {
          done.add(failed.outboxId());
        } else {
          attemptsSeen.merge(failed.outboxId(), failed.attempt(), Math::max);
        }
      }
    }
  }

  private void dispatch(Job job) {
    if (done.contains(job.request().outboxId())) {
      finish(job);
      return;
    }
    queues
        .computeIfAbsent(
            job.request().accountId(),
            id -> {
              LinkedBlockingQueue<Job> q = new LinkedBlockingQueue<>();
              Thread.ofVirtual().name("outbox-" + id).start(() -> drain(id, q));
              return q;
            })
        .add(job);
  }

  private void drain(AccountId id, LinkedBlockingQueue<Job> queue) {
    try {
      while (running) {
        Job job = queue.poll(1, java.util.concurrent.TimeUnit.SECONDS);
        if (job != null) {
          readAhead(queue);
          send(job);
        } else {
          sender.idle(id);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Starts reading the account's next message from the outbox while this one is sent: reading is
   * most of a send's time when the messages follow each other (bench/send). One message ahead, so a
   * queue of large attachments is never held in memory at once; reading further ahead measured no
   * better on the loaded benchmark machine.
   */
  private void readAhead(LinkedBlockingQueue<Job> queue) {
    Job next = queue.peek();
    if (next != null) {
      sender.prefetch(next.request());
    }
  }

  /** Attempts until sent or refused for good; each failed attempt is an event, with its reason. */
  private void send(Job job) throws InterruptedException {
    SendRequested request = job.request();
    Backoff backoff =
        new Backoff(config.retryInitial(), config.retryMax(), ThreadLocalRandom.current());
    int attempt = attemptsSeen.getOrDefault(request.outboxId(), 0);
    while (running && !done.contains(request.outboxId())) {
      attempt++;
      Sender.Attempt result = sender.attempt(request);
      Instant now = clock.instant();
      MailroomEvent outcome;
      if (result.outcome() instanceof SendOutcome.Accepted accepted) {
        outcome =
            new MessageSent(
                request.accountId(),
                request.outboxId(),
                request.messageId(),
                accepted.reply(),
                attempt,
                result.sentCopyMailbox(),
                result.sentCopyProblem(),
                now);
      } else {
        SendOutcome.Refused refused = (SendOutcome.Refused) result.outcome();
        boolean expired = now.isAfter(request.requestedAt().plus(config.giveUpAfter()));
        boolean permanent = refused.permanent() || expired;
        Duration wait = permanent ? null : backoff.nextDelay();
        String reason =
            expired && !refused.permanent()
                ? "not sent within " + config.giveUpAfter() + "; last: " + refused.reason()
                : refused.reason();
        outcome =
            new MessageSendFailed(
                request.accountId(),
                request.outboxId(),
                request.messageId(),
                permanent,
                refused.code(),
                truncate(reason),
                attempt,
                permanent ? null : now.plus(wait),
                now);
        Log.infof(
            "send of %s attempt %d failed (%s): %s",
            request.outboxId(),
            attempt,
            permanent ? "permanent" : "retrying in " + wait,
            truncate(reason));
        publishUntilTaken(outcome);
        if (permanent) {
          done.add(request.outboxId());
          break;
        }
        Thread.sleep(wait.toMillis());
        continue;
      }
      publishUntilTaken(outcome);
      done.add(request.outboxId());
      Log.infof("sent %s after %d attempt(s)", request.outboxId(), attempt);
      break;
    }
    finish(job);
  }

  /** An outcome the broker does not take now is sent again: the send itself is never repeated. */
  private void publishUntilTaken(MailroomEvent outcome) throws InterruptedException {
    while (running) {
      try {
        publish.apply(outcome).get(30, java.util.concurrent.TimeUnit.SECONDS);
        return;
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        Log.warnf("publishing %s failed, retrying: %s", outcome.type().ceType(), e.getMessage());
        Thread.sleep(1000);
      }
    }
  }

  private void finish(Job job) {
    sender.forget(job.request().outboxId());
    var offsets = inFlight.get(job.partition());
    if (offsets != null) {
      offsets.remove(job.offset());
    }
  }

  /** Up to the first request not yet finished; or past everything read when all are. */
  private void commit(
      KafkaConsumer<String, byte[]> c,
      Set<Integer> assigned,
      Map<Integer, Long> polled,
      Map<Integer, Long> catchUp) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (int p : assigned) {
      if (catchUp.containsKey(p) || !polled.containsKey(p)) {
        continue;
      }
      var pending = inFlight.get(p);
      long next = pending == null || pending.isEmpty() ? polled.get(p) + 1 : pending.first();
      offsets.put(new TopicPartition(topic, p), new OffsetAndMetadata(next));
    }
    if (!offsets.isEmpty()) {
      c.commitAsync(offsets, null);
    }
  }

  private static String truncate(String s) {
    return s == null ? "" : s.length() > 1000 ? s.substring(0, 1000) : s;
  }
}
