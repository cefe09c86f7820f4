package dev.mailroom.events;

import dev.mailroom.events.account.AccountEvent;
import dev.mailroom.events.command.CommandEvent;
import dev.mailroom.events.connection.ConnectionEvent;
import dev.mailroom.events.mail.MailEvent;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.outbox.OutboxEvent;
import dev.mailroom.events.search.SearchReplyEvent;
import dev.mailroom.events.search.SearchRequestEvent;
import dev.mailroom.events.status.AccountStatusEvent;

/**
 * An event on a Mailroom topic. On Kafka it travels as a CloudEvent in binary mode: the record key
 * is {@link #accountId()}, the {@code ce_type} header names the {@link EventType}, {@code ce_id} is
 * {@link #eventId()}, and the value is this record as JSON. Every implementation is listed in
 * {@link EventType}.
 *
 * <p>Sealed over one sealed interface per topic, each permitting exactly the records that travel on
 * its topic ({@link EventType#topic()}), so that a {@code switch} names topics, not records. A
 * consumer of one topic switches over that topic's interface; one that reads several switches over
 * this, naming its topics' types one by one and every other topic by its interface ({@code case
 * OutboxEvent _, ...}). A new type then fails to compile in exactly the switches over its topic,
 * instead of falling silently into a {@code default}, and nowhere else. A topic with a single type
 * has its interface all the same, so that a second type there is a change to that topic's switches
 * alone. The mail dead-letter topic has none: it carries mail events unchanged. Sealing across
 * packages needs a named module at compile time (see {@code module-info.java}); on the services'
 * classpath the hierarchy is in the unnamed module and holds as well.
 */
public sealed interface MailroomEvent
    permits AccountEvent,
        MailEvent,
        ConnectionEvent,
        AccountStatusEvent,
        CommandEvent,
        SearchRequestEvent,
        SearchReplyEvent,
        OutboxEvent {

  AccountId accountId();

  /** Deterministic: see {@link EventIds}. */
  String eventId();

  default EventType type() {
    return EventType.of(getClass());
  }
}
