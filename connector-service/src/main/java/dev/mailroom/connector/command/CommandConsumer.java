package dev.mailroom.connector.command;

import dev.mailroom.connector.config.ConnectorConfig;
import dev.mailroom.connector.publish.EventPublisher;
import dev.mailroom.connector.session.SessionManager;
import dev.mailroom.events.EventCodec;
import dev.mailroom.events.cloudevents.CloudEventHeaders;
import dev.mailroom.events.command.CommandRequested;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.MDC;

/**
 * Reads the commands of the accounts this instance holds and applies each on its account's session.
 * The partitions it reads are assigned by hand, following the ownership consumer's assignment of
 * the accounts topic ({@link CommandPartitions}): Kafka's group protocol would assign a second
 * topic independently, and a command could land on an instance that does not hold its account.
 *
 * <p>A partition's offset is committed only after the command's outcome is on the mail topic. A
 * crash in between makes the next owner apply the command again, which changes nothing twice: each
 * command reads the messages' state first and leaves one already as asked alone ({@link
 * FlagCommand}). One command at a time: commands of one account stay in order.
 */
@ApplicationScoped
public class CommandConsumer {

  private final SessionManager sessions;
  private final EventPublisher publisher;
  private final CommandPartitions partitions;
  private final String topic;
  private final Properties consumerProperties;
  private final ConnectorConfig.Commands settings;
  private final Clock clock;
  private volatile KafkaConsumer<String, byte[]> consumer;
  private volatile Thread thread;

  @Inject
  CommandConsumer(
      SessionManager sessions,
      EventPublisher publisher,
      CommandPartitions partitions,
      ConnectorConfig config,
      Clock clock,
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
    this(
        sessions,
        publisher,
        partitions,
        config.topic().commands(),
        consumerProperties(bootstrap, config.commands().groupId()),
        config.commands(),
        clock);
  }

  /** A consumer of its own: a test runs one beside a session manager of its own. */
  public CommandConsumer(
      SessionManager sessions,
      EventPublisher publisher,
      CommandPartitions partitions,
      String topic,
      Properties consumerProperties,
      ConnectorConfig.Commands settings,
      Clock clock) {
    this.sessions = sessions;
    this.publisher = publisher;
    this.partitions = partitions;
    this.topic = topic;
    this.consumerProperties = consumerProperties;
    this.settings = settings;
    this.clock = clock;
  }

  void onStart(@Observes StartupEvent event) {
    start();
  }

  void onStop(@Observes ShutdownEvent event) {
    stop();
  }

  public void start() {
    consumer = new KafkaConsumer<>(consumerProperties);
    thread = Thread.ofPlatform().name("commands").daemon().start(this::pollLoop);
  }

  /** Stops between two commands, or in the middle of one, as a dying instance would. */
  public void stop() {
    if (consumer != null) {
      consumer.wakeup();
    }
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(Duration.ofSeconds(15));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void pollLoop() {
    KafkaConsumer<String, byte[]> c = consumer;
    Set<Integer> assigned = Set.of();
    try {
      while (!Thread.currentThread().isInterrupted()) {
        Set<Integer> wanted = partitions.current();
        if (!wanted.equals(assigned)) {
          Set<TopicPartition> tps = new HashSet<>();
          wanted.forEach(p -> tps.add(new TopicPartition(topic, p)));
          c.assign(tps); // a partition new to this consumer resumes at the group's committed offset
          assigned = wanted;
        }
        if (assigned.isEmpty()) {
          Thread.sleep(200);
          continue;
        }
        for (ConsumerRecord<String, byte[]> record : c.poll(Duration.ofMillis(200))) {
          if (!partitions.holds(record.partition())) {
            break; // revoked meanwhile: its new owner applies the rest from the committed offset
          }
          handle(record);
          c.commitSync(
              Map.of(
                  new TopicPartition(record.topic(), record.partition()),
                  new OffsetAndMetadata(record.offset() + 1)));
        }
      }
    } catch (WakeupException | InterruptedException stopping) {
      Log.info("command consumer stopped");
    } catch (RuntimeException e) {
      Log.error("command consumer failed; this instance applies no more commands", e);
    } finally {
      c.close(Duration.ofSeconds(5));
    }
  }

  private void handle(ConsumerRecord<String, byte[]> record) throws InterruptedException {
    CommandRequested command;
    try {
      Header type = record.headers().lastHeader(CloudEventHeaders.TYPE);
      var event =
          EventCodec.decode(
              type == null ? null : new String(type.value(), StandardCharsets.UTF_8),
              record.value());
      if (!(event instanceof CommandRequested c)) {
        Log.errorf(
            "skipping a %s on the commands topic at %d@%d",
            event.type(), record.partition(), record.offset());
        return;
      }
      command = c;
    } catch (RuntimeException e) {
      Log.errorf(
          "skipping an unreadable command at %d@%d: %s",
          record.partition(), record.offset(), e.getMessage());
      return;
    }
    MDC.put("accountId", command.accountId().toString());
    MDC.put("eventId", command.commandId());
    // Where an action's time goes (bench/actions): the gateway stamps requestedAt just before it
    // publishes, so the first figure is the way through Kafka to this consumer.
    long fromRequest =
        java.time.Duration.between(command.requestedAt(), clock.instant()).toMillis();
    long started = System.nanoTime();
    try {
      Outcome outcome =
          new CommandRun(sessions, settings, clock, () -> partitions.holds(record.partition()))
              .apply(command);
      var event = outcome.event(command.accountId(), command.commandId(), clock.instant());
      // The outcome must be on the mail topic before the offset moves past the command.
      while (true) {
        try {
          publisher.publish(event).get(30, TimeUnit.SECONDS);
          break;
        } catch (java.util.concurrent.ExecutionException
            | java.util.concurrent.TimeoutException e) {
          Log.warnf(
              "outcome of command %s not sent yet (%s); trying again",
              command.commandId(), e.getMessage());
          Thread.sleep(1000);
        }
      }
      Log.infof(
          "command %s %s (read %d ms after it was requested; %d ms to apply and publish)",
          command.commandId(),
          outcome.failure() == null ? "applied" : "failed: " + outcome.detail(),
          fromRequest,
          (System.nanoTime() - started) / 1_000_000);
    } finally {
      MDC.remove("accountId");
      MDC.remove("eventId");
    }
  }

  static Properties consumerProperties(String bootstrap, String groupId) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    // A partition without a committed offset is read from its start: a command accepted before
    // any instance read its partition must still be applied (or expire, see maxAge).
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "50");
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "connector-commands");
    return p;
  }
}
