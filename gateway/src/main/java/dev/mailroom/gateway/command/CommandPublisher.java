package dev.mailroom.gateway.command;

import dev.mailroom.events.EventCodec;
import dev.mailroom.events.command.CommandRequested;
import dev.mailroom.gateway.problem.GatewayException;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Puts commands on the commands topic, keyed by account, and waits for the broker. The topic is
 * where a command is recorded (sync-service and the connector both read it), so an acknowledged
 * command is accepted and a failed send accepted nothing.
 */
@ApplicationScoped
public class CommandPublisher {

  static final String CHANNEL = "commands";

  private final MutinyEmitter<byte[]> emitter;
  private final CommandsConfig config;

  @Inject
  public CommandPublisher(@Channel(CHANNEL) MutinyEmitter<byte[]> emitter, CommandsConfig config) {
    this.emitter = emitter;
    this.config = config;
  }

  public void publish(CommandRequested command) {
    var headers =
        dev.mailroom.events.cloudevents.CloudEventHeaders.of(
                command, "gateway", command.requestedAt())
            .entrySet()
            .stream()
            .map(h -> new RecordHeader(h.getKey(), h.getValue().getBytes(StandardCharsets.UTF_8)))
            .toList();
    var metadata =
        OutgoingKafkaRecordMetadata.<String>builder()
            .withTopic(config.topic())
            .withKey(command.accountId().toString())
            .withHeaders(new java.util.ArrayList<>(headers))
            .build();
    try {
      emitter
          .sendMessage(Message.of(EventCodec.encode(command)).addMetadata(metadata))
          .await()
          .atMost(config.publishTimeout());
    } catch (TimeoutException e) {
      // Not a nack: the send may still succeed; a retry with the same Idempotency-Key is safe.
      throw GatewayException.Unavailable.commandUnconfirmed(e);
    } catch (RuntimeException e) {
      throw GatewayException.Unavailable.commandLog(e);
    }
  }
}
