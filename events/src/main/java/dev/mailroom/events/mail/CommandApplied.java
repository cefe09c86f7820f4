package dev.mailroom.events.mail;

import dev.mailroom.events.EventIds;
import dev.mailroom.events.EventType;
import dev.mailroom.events.model.AccountId;
import java.time.Instant;

/**
 * The command was applied on the server. The mail events of what it changed precede this one on the
 * mail topic, so a reader that sees this has the server's state already. {@code changed} messages
 * were changed; {@code unchanged} already were as asked (a retry, or another client did the same).
 */
public record CommandApplied(
    AccountId accountId, String commandId, int changed, int unchanged, Instant observedAt)
    implements MailEvent {

  @Override
  public String eventId() {
    return EventIds.of(EventType.COMMAND_APPLIED.ceType(), accountId, commandId);
  }
}
