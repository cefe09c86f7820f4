package dev.mailroom.events;

import dev.mailroom.events.model.AccountId;

/**
 * An event on a Mailroom topic. On Kafka it travels as a CloudEvent in binary mode: the record key
 * is {@link #accountId()}, the {@code ce_type} header names the {@link EventType}, {@code ce_id} is
 * {@link #eventId()}, and the value is this record as JSON. Every implementation is listed in
 * {@link EventType}.
 */
public interface MailroomEvent {

  AccountId accountId();

  /** Deterministic: see {@link EventIds}. */
  String eventId();

  default EventType type() {
    return EventType.of(getClass());
  }
}
