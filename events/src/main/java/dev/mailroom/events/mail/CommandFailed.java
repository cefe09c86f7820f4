package dev.mailroom.events.mail;

import dev.mailroom.events.EventIds;
import dev.mailroom.events.EventType;
import dev.mailroom.events.model.AccountId;
import java.time.Instant;

/**
 * The command was not applied, or not to every message: {@code reason} says why in one word a
 * program can act on, {@code detail} in the words a person reads (the server's own text for a
 * refusal). {@code changed} messages were changed all the same (a bulk command stopped midway, a
 * race lost on some messages only); their mail events precede this one.
 */
public record CommandFailed(
    AccountId accountId,
    String commandId,
    Reason reason,
    String detail,
    int changed,
    Instant observedAt)
    implements MailEvent {

  @Override
  public String eventId() {
    return EventIds.of(EventType.COMMAND_FAILED.ceType(), accountId, commandId);
  }

  public enum Reason {
    /** The server answered NO or BAD; the detail is its text. */
    SERVER_REFUSED,
    /**
     * Another client changed the same flag of the message after the owner saw it: its change
     * stands.
     */
    CONFLICT,
    /** The message is no longer at its location (expunged, moved) or its mailbox is gone. */
    NOT_FOUND,
    /** The mailbox's UIDVALIDITY changed since the owner saw the message. */
    UIDVALIDITY_CHANGED,
    /** The mailbox can only be read. */
    READ_ONLY,
    /** The server lacks what the command needs. */
    UNSUPPORTED,
    /** The command waited longer than it may (the account was disconnected meanwhile). */
    EXPIRED,
    /** No session for the account could run it (disconnected, deleted). */
    NOT_CONNECTED
  }
}
