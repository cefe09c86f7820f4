package dev.mailroom.connector.send;

import dev.mailroom.connector.imap.ImapConnector;
import dev.mailroom.connector.ownership.AccountOwnership;
import dev.mailroom.connector.publish.EventPublisher;
import dev.mailroom.connector.session.SessionManager;
import dev.mailroom.connector.smtp.SmtpConnector;
import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.events.crypto.SecretBox;
import dev.mailroom.events.model.AccountId;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Sending: the outbox consumer of this instance, over the partitions its ownership holds. */
@ApplicationScoped
public class Outbox {

  private final ServiceToken token;
  private final SessionManager sessions;
  private final AccountOwnership ownership;
  private final ImapConnector imap;
  private final SmtpConnector smtp;
  private final SecretBox secrets;
  private final EventPublisher publisher;
  private final OutboxConfig config;
  private final Clock clock;
  private final String bootstrapServers;
  private OutboxConsumer consumer;

  Outbox(
      SessionManager sessions,
      AccountOwnership ownership,
      ImapConnector imap,
      SmtpConnector smtp,
      SecretBox secrets,
      EventPublisher publisher,
      OutboxConfig config,
      Clock clock,
      io.quarkus.oidc.client.OidcClient oidc,
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
    this.token = new ServiceToken(oidc);
    this.sessions = sessions;
    this.ownership = ownership;
    this.imap = imap;
    this.smtp = smtp;
    this.secrets = secrets;
    this.publisher = publisher;
    this.config = config;
    this.clock = clock;
    this.bootstrapServers = bootstrapServers;
  }

  void onStart(@Observes StartupEvent event) {
    if (!config.enabled()) {
      return;
    }
    consumer =
        consumer(
            ownership::ownedPartitions, ownership::definition, config.groupId(), config.storeUrl());
    consumer.start();
  }

  void onStop(@Observes ShutdownEvent event) {
    if (consumer != null) {
      consumer.stop();
    }
  }

  /** A consumer over the given partitions and account definitions (tests choose their own). */
  OutboxConsumer consumer(
      Supplier<Set<Integer>> partitions,
      Function<AccountId, Optional<AccountDefined>> definitions,
      String groupId,
      String storeUrl) {
    Sender sender =
        new Sender(
            sessions,
            definitions,
            imap,
            new SmtpSubmission(smtp, config.smtpIdle()),
            new OutboxStore(storeUrl, token),
            secrets);
    return new OutboxConsumer(
        properties(groupId), config.topic(), partitions, sender, publisher::publish, config, clock);
  }

  private Properties properties(String groupId) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "connector-outbox");
    return p;
  }
}
