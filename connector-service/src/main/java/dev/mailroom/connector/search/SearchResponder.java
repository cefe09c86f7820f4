package dev.mailroom.connector.search;

import dev.mailroom.connector.config.ConnectorConfig;
import dev.mailroom.connector.session.NotHeldHereException;
import dev.mailroom.connector.session.SessionManager;
import dev.mailroom.events.EventCodec;
import dev.mailroom.events.cloudevents.CloudEventHeaders;
import dev.mailroom.events.search.SearchReplied;
import dev.mailroom.events.search.SearchRequested;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletionException;
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
 * Answers server-side search requests for the accounts this instance holds (docs/adr/0009).
 *
 * <p>How a request reaches the owner: every connector instance reads every partition of the request
 * topic, without a consumer group, from its end (a request is worth nothing after its 2 s deadline,
 * so nothing older is read). An instance answers only for an account it holds ({@link
 * SessionManager#held}); the others drop it. Ownership itself follows the accounts topic's group
 * assignment ({@code AccountOwnership}), so exactly one instance holds an account at a time; during
 * a rebalance none may, and the asker falls back to its local answer. Following the ownership
 * assignment instead would need the request topic to be partitioned exactly like the accounts topic
 * and this consumer to follow every reassignment; requests are a few hundred bytes, so reading them
 * all is the simpler and sturdier choice.
 */
@ApplicationScoped
public class SearchResponder {

  private final SessionManager sessions;
  private final Clock clock;
  private final String requestTopic;
  private final String replyTopic;
  private final String bootstrap;
  private volatile KafkaConsumer<String, byte[]> consumer;
  private volatile KafkaProducer<String, byte[]> producer;
  private volatile Thread thread;
  private volatile boolean listening;

  SearchResponder(
      SessionManager sessions,
      Clock clock,
      ConnectorConfig config,
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
    this.sessions = sessions;
    this.clock = clock;
    this.requestTopic = config.topic().searchRequests();
    this.replyTopic = config.topic().searchReplies();
    this.bootstrap = bootstrap;
  }

  void onStart(@Observes StartupEvent event) {
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, "connector-search-requests");
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    // fetch.max.wait.ms stays at Kafka's 500 ms: with fetch.min.bytes=1 the broker answers a parked
    // fetch as soon as a request arrives, so the wait only spaces out the polls of an idle topic.
    // At 20 ms they were 5% of the connector's CPU during a first sync, and work for the broker.
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "connector-search-replies");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    consumer = new KafkaConsumer<>(c);
    producer = new KafkaProducer<>(p);
    thread = Thread.ofPlatform().name("search-requests").daemon().start(this::pollLoop);
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
      producer.close(Duration.ofSeconds(5));
    }
  }

  /** Whether requests are being read: from here on a request for a held account is answered. */
  public boolean listening() {
    return listening;
  }

  private void pollLoop() {
    KafkaConsumer<String, byte[]> c = consumer;
    try {
      List<TopicPartition> partitions = awaitPartitions(c);
      c.assign(partitions);
      c.seekToEnd(partitions);
      partitions.forEach(c::position); // fix the end now: a request sent from here on is read
      listening = true;
      Log.infof(
          "answering search requests on %d partition(s) of %s", partitions.size(), requestTopic);
      while (true) {
        for (ConsumerRecord<String, byte[]> record : c.poll(Duration.ofMillis(500))) {
          handle(record);
        }
      }
    } catch (WakeupException stopping) {
      Log.info("search responder stopped");
    } catch (RuntimeException e) {
      Log.error("search responder failed; server-side searches fall back to the local index", e);
    } finally {
      listening = false;
      c.close();
    }
  }

  /** The topic's partitions, once the broker knows it (it may come up after this service). */
  private List<TopicPartition> awaitPartitions(KafkaConsumer<String, byte[]> c) {
    while (true) {
      try {
        var infos = c.partitionsFor(requestTopic, Duration.ofSeconds(5));
        if (infos != null && !infos.isEmpty()) {
          return infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
        }
      } catch (org.apache.kafka.common.errors.TimeoutException e) {
        Log.debugf("waiting for topic %s", requestTopic);
      }
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        throw new WakeupException();
      }
    }
  }

  private void handle(ConsumerRecord<String, byte[]> record) {
    SearchRequested request;
    try {
      Header type = record.headers().lastHeader(CloudEventHeaders.TYPE);
      if (!(EventCodec.decode(
              type == null ? null : new String(type.value(), StandardCharsets.UTF_8),
              record.value())
          instanceof SearchRequested r)) {
        return;
      }
      request = r;
    } catch (RuntimeException e) {
      Log.warnf(
          "skipping unreadable search request at %d@%d: %s",
          record.partition(), record.offset(), e.getMessage());
      return;
    }
    if (!sessions.held().contains(request.accountId())) {
      return; // another instance holds it, or nobody does right now
    }
    Duration left = Duration.between(clock.instant(), request.deadline());
    if (left.isNegative() || left.isZero()) {
      Log.debugf(
          "search %s for %s arrived after its deadline",
          request.correlationId(), request.accountId());
      return;
    }
    // The future times out at the deadline, so the session skips the work if it has not begun.
    sessions
        .submit(request.accountId(), new ServerSearch(request, clock))
        .orTimeout(left.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete(
            (reply, failure) -> {
              if (failure == null) {
                send(reply);
              } else if (!(cause(failure) instanceof java.util.concurrent.TimeoutException)
                  && !(cause(failure) instanceof NotHeldHereException)) {
                send(
                    new SearchReplied(
                        request.accountId(),
                        request.correlationId(),
                        request.fuzzy() ? ServerSearch.FUZZY_ROUTE : ServerSearch.PLAIN_ROUTE,
                        List.of(),
                        false,
                        "the server search failed: " + cause(failure).getMessage(),
                        0,
                        clock.instant()));
              }
            });
  }

  private static Throwable cause(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  private void send(SearchReplied reply) {
    var record =
        new ProducerRecord<>(replyTopic, reply.accountId().toString(), EventCodec.encode(reply));
    CloudEventHeaders.of(reply, "connector-service", clock.instant())
        .forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
    producer.send(
        record,
        (meta, e) -> {
          if (e != null) {
            Log.warnf(
                "search reply %s for %s not sent: %s",
                reply.correlationId(), reply.accountId(), e.getMessage());
          }
        });
  }
}
