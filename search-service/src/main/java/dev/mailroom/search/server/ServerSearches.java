package dev.mailroom.search.server;

import dev.mailroom.events.EventCodec;
import dev.mailroom.events.cloudevents.CloudEventHeaders;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.MailboxPath;
import dev.mailroom.events.search.SearchReplied;
import dev.mailroom.events.search.SearchRequested;
import dev.mailroom.search.query.SearchQuery;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Asks the connector that holds an account for a server-side search: a request on the request topic
 * with a fresh correlation id and a deadline, and a wait for the reply with that id.
 *
 * <p>Every instance of search-service reads every partition of the reply topic from its end,
 * without a group, and completes only the requests it is waiting for: the reply reaches whichever
 * instance asked, however many there are. A reply after the deadline finds nobody waiting and is
 * dropped.
 */
@ApplicationScoped
public class ServerSearches {

  private final String requestTopic;
  private final String replyTopic;
  private final String bootstrap;
  private final Map<String, CompletableFuture<SearchReplied>> waiting = new ConcurrentHashMap<>();
  private volatile KafkaProducer<String, byte[]> producer;
  private volatile KafkaConsumer<String, byte[]> consumer;
  private volatile Thread thread;
  private volatile boolean listening;

  ServerSearches(
      @ConfigProperty(name = "mailroom.topic.search-requests") String requestTopic,
      @ConfigProperty(name = "mailroom.topic.search-replies") String replyTopic,
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
    this.requestTopic = requestTopic;
    this.replyTopic = replyTopic;
    this.bootstrap = bootstrap;
  }

  void onStart(@Observes StartupEvent event) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "search-requests");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    // A request is worth nothing after its deadline: fail fast rather than queue.
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "1000");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    producer = new KafkaProducer<>(p);
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, "search-replies");
    // fetch.max.wait.ms stays at Kafka's 500 ms: the broker answers a parked fetch as soon as a
    // reply arrives (fetch.min.bytes=1), so a shorter wait would only poll an idle topic more
    // often.
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    consumer = new KafkaConsumer<>(c);
    thread = Thread.ofPlatform().name("search-replies").daemon().start(this::pollLoop);
  }

  void onStop(@Observes ShutdownEvent event) {
    if (consumer != null) {
      consumer.wakeup();
    }
    if (thread != null) {
      try {
        thread.join(Duration.ofSeconds(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (producer != null) {
      producer.close(Duration.ofSeconds(2));
    }
  }

  /** Whether replies are being read (readiness; a request sent before would lose its reply). */
  public boolean listening() {
    return listening;
  }

  /**
   * Sends the request; the future completes with the reply, or fails with a {@link
   * java.util.concurrent.TimeoutException} at the deadline.
   */
  public CompletableFuture<SearchReplied> ask(
      AccountId account, SearchQuery query, boolean fuzzy, int limit, Duration deadline) {
    String correlation = UUID.randomUUID().toString();
    Instant now = Instant.now();
    var request =
        new SearchRequested(
            account,
            correlation,
            query.mailbox() == null ? null : MailboxPath.of(query.mailbox()),
            query.terms(),
            fuzzy,
            limit,
            now,
            now.plus(deadline));
    CompletableFuture<SearchReplied> reply = new CompletableFuture<>();
    waiting.put(correlation, reply);
    reply.whenComplete((r, e) -> waiting.remove(correlation));
    var record = new ProducerRecord<>(requestTopic, account.toString(), EventCodec.encode(request));
    CloudEventHeaders.of(request, "search-service", now)
        .forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
    try {
      producer.send(
          record,
          (meta, e) -> {
            if (e != null) {
              reply.completeExceptionally(e);
            }
          });
    } catch (RuntimeException e) {
      reply.completeExceptionally(e);
    }
    return reply.orTimeout(deadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void pollLoop() {
    KafkaConsumer<String, byte[]> c = consumer;
    try {
      List<TopicPartition> partitions = awaitPartitions(c);
      c.assign(partitions);
      c.seekToEnd(partitions);
      partitions.forEach(c::position);
      listening = true;
      while (true) {
        for (ConsumerRecord<String, byte[]> record : c.poll(Duration.ofMillis(500))) {
          Header type = record.headers().lastHeader(CloudEventHeaders.TYPE);
          try {
            if (EventCodec.decode(
                    type == null ? null : new String(type.value(), StandardCharsets.UTF_8),
                    record.value())
                instanceof SearchReplied reply) {
              CompletableFuture<SearchReplied> f = waiting.get(reply.correlationId());
              if (f != null) {
                f.complete(reply);
              }
            }
          } catch (RuntimeException e) {
            Log.warnf(
                "skipping unreadable search reply at %d@%d: %s",
                record.partition(), record.offset(), e.getMessage());
          }
        }
      }
    } catch (WakeupException stopping) {
      Log.info("search replies: stopped");
    } catch (RuntimeException e) {
      Log.error(
          "search replies: reading failed; server searches now fall back to the local index", e);
    } finally {
      listening = false;
      c.close();
    }
  }

  private List<TopicPartition> awaitPartitions(KafkaConsumer<String, byte[]> c) {
    while (true) {
      try {
        var infos = c.partitionsFor(replyTopic, Duration.ofSeconds(5));
        if (infos != null && !infos.isEmpty()) {
          return infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
        }
      } catch (org.apache.kafka.common.errors.TimeoutException e) {
        Log.debugf("waiting for topic %s", replyTopic);
      }
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        throw new WakeupException();
      }
    }
  }
}
