package dev.mailroom.events.command;

import dev.mailroom.events.MailroomEvent;

/**
 * An event of the commands topic ({@code mailroom.commands.v1}): what an owner asked to change on
 * the server; the outcomes travel on the mail topic. One type so far, sealed all the same so that a
 * switch names topics, not records (see {@link MailroomEvent}).
 */
public sealed interface CommandEvent extends MailroomEvent permits CommandRequested {}
