package dev.mailroom.events.connection;

import dev.mailroom.events.MailroomEvent;

/**
 * An event of the connection topic ({@code mailroom.connection.v1}): how each of the connector's
 * connection attempts ended, established or failed.
 */
public sealed interface ConnectionEvent extends MailroomEvent
    permits ConnectionEstablished, ConnectionFailed {}
