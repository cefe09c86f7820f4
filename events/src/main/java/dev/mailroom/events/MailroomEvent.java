package dev.mailroom.events;

import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.events.command.CommandRequested;
import dev.mailroom.events.connection.ConnectionEstablished;
import dev.mailroom.events.connection.ConnectionFailed;
import dev.mailroom.events.mail.MailEvent;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.outbox.MessageSendFailed;
import dev.mailroom.events.outbox.MessageSent;
import dev.mailroom.events.outbox.SendRequested;
import dev.mailroom.events.search.SearchReplied;
import dev.mailroom.events.search.SearchRequested;
import dev.mailroom.events.status.AccountStatusChanged;

/**
 * An event on a Mailroom topic. On Kafka it travels as a CloudEvent in binary mode: the record key
 * is {@link #accountId()}, the {@code ce_type} header names the {@link EventType}, {@code ce_id} is
 * {@link #eventId()}, and the value is this record as JSON. Every implementation is listed in
 * {@link EventType}.
 *
 * <p>Sealed, so that a {@code switch} over an event must name every event type: a new type fails to
 * compile where it is not handled, instead of falling silently into a {@code default}. The mail
 * topic's events are grouped under the sealed {@link MailEvent}. Sealing across packages needs a
 * named module at compile time (see {@code module-info.java}); on the services' classpath the
 * hierarchy is in the unnamed module and holds as well.
 */
public sealed interface MailroomEvent
    permits MailEvent,
        AccountDefined,
        CommandRequested,
        ConnectionEstablished,
        ConnectionFailed,
        AccountStatusChanged,
        SearchRequested,
        SearchReplied,
        SendRequested,
        MessageSent,
        MessageSendFailed {

  AccountId accountId();

  /** Deterministic: see {@link EventIds}. */
  String eventId();

  default EventType type() {
    return EventType.of(getClass());
  }
}
