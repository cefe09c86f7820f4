package dev.mailroom.gateway.account;

import dev.mailroom.events.EventCodec;
import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.gateway.problem.GatewayException;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Puts account definitions on the accounts topic and waits for the broker to acknowledge them. The
 * topic is the source of truth for accounts (there is no gateway database to write first), so an
 * acknowledged record is a saved account and a failed send saved nothing.
 */
@ApplicationScoped
public class AccountEventPublisher {

  /** The channel's settings ({@code mp.messaging.outgoing.account-definitions.*}). */
  static final String CHANNEL = "account-definitions";

  private final MutinyEmitter<byte[]> emitter;
  private final AccountsConfig config;

  @Inject
  public AccountEventPublisher(
      @Channel(CHANNEL) MutinyEmitter<byte[]> emitter, AccountsConfig config) {
    this.emitter = emitter;
    this.config = config;
  }

  /**
   * @throws GatewayException.Unavailable when the broker did not acknowledge in time or refused
   */
  public void publish(AccountDefined event) {
    var metadata =
        OutgoingKafkaRecordMetadata.<String>builder()
            .withTopic(config.topic())
            .withKey(event.accountId().toString())
            .withHeaders(CloudEventHeaders.of(event, event.definedAt()))
            .build();
    Message<byte[]> record = Message.of(EventCodec.encode(event)).addMetadata(metadata);
    try {
      emitter.sendMessage(record).await().atMost(config.publishTimeout());
    } catch (TimeoutException e) {
      // Not a nack: the send may still succeed after we stop waiting.
      throw GatewayException.Unavailable.eventLogUnconfirmed(e);
    } catch (RuntimeException e) {
      // A nack comes once the producer and SmallRye's retries have given up: nothing was written.
      throw GatewayException.Unavailable.eventLog(e);
    }
  }

  /**
   * Deletes the account: a tombstone (the key with no value) on the compacted accounts topic. The
   * connector stops its sessions, sync-service and health-service drop its rows, and compaction
   * removes its definition, sealed password included.
   *
   * @throws GatewayException.Unavailable when the broker did not acknowledge in time or refused
   */
  public void publishTombstone(dev.mailroom.events.model.AccountId accountId) {
    var metadata =
        OutgoingKafkaRecordMetadata.<String>builder()
            .withTopic(config.topic())
            .withKey(accountId.toString())
            .build();
    Message<byte[]> record = Message.<byte[]>of(null).addMetadata(metadata);
    try {
      emitter.sendMessage(record).await().atMost(config.publishTimeout());
    } catch (TimeoutException e) {
      throw GatewayException.Unavailable.eventLogUnconfirmed(e);
    } catch (RuntimeException e) {
      throw GatewayException.Unavailable.eventLog(e);
    }
  }
}
