package dev.mailroom.events.cloudevents;

import dev.mailroom.events.EventType;
import dev.mailroom.events.MailroomEvent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Kafka headers of a Mailroom event in CloudEvents binary content mode (CloudEvents Kafka
 * protocol binding §3.2): attributes become {@code ce_}-prefixed headers, the record value is the
 * JSON payload, and the record key is the account id (the binding's partitioning extension).
 *
 * <p>Kept free of Kafka classes so every service writes the same headers whatever client it uses.
 */
public final class CloudEventHeaders {

  public static final String SPEC_VERSION = "ce_specversion";
  public static final String ID = "ce_id";
  public static final String TYPE = "ce_type";
  public static final String SOURCE = "ce_source";
  public static final String TIME = "ce_time";
  public static final String SUBJECT = "ce_subject";
  public static final String CONTENT_TYPE = "content-type";

  private CloudEventHeaders() {}

  /**
   * @param service the producing service, e.g. {@code connector-service}; becomes {@code
   *     urn:mailroom:connector-service}
   */
  public static Map<String, String> of(MailroomEvent event, String service, Instant time) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(SPEC_VERSION, "1.0");
    headers.put(ID, event.eventId());
    headers.put(TYPE, event.type().ceType());
    headers.put(SOURCE, EventType.SOURCE_PREFIX + service);
    headers.put(TIME, time.toString());
    headers.put(SUBJECT, event.accountId().toString());
    headers.put(CONTENT_TYPE, "application/json");
    return headers;
  }
}
