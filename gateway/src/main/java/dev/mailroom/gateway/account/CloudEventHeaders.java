package dev.mailroom.gateway.account;

import dev.mailroom.events.MailroomEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * The contract's CloudEvents binary-mode headers as Kafka headers. Written here rather than by
 * SmallRye's cloud-events support so the exact set is the one every Mailroom producer writes; that
 * support is switched off on the channel ({@code cloud-events=false}) to avoid duplicates.
 */
final class CloudEventHeaders {

  static final String SERVICE = "gateway";

  private CloudEventHeaders() {}

  /**
   * @param time the moment the event describes; RFC 3339 on the wire, as Instant prints it
   */
  static List<RecordHeader> of(MailroomEvent event, Instant time) {
    return dev.mailroom.events.cloudevents.CloudEventHeaders.of(event, SERVICE, time)
        .entrySet()
        .stream()
        .map(h -> new RecordHeader(h.getKey(), h.getValue().getBytes(StandardCharsets.UTF_8)))
        .toList();
  }
}
