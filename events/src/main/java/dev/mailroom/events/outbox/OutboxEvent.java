package dev.mailroom.events.outbox;

import dev.mailroom.events.MailroomEvent;

/**
 * An event of the outbox topic ({@code mailroom.outbox.v1}): requests to send a message and their
 * outcomes, sent or failed, in order per account.
 */
public sealed interface OutboxEvent extends MailroomEvent
    permits SendRequested, MessageSent, MessageSendFailed {}
