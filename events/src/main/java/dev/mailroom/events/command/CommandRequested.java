package dev.mailroom.events.command;

import dev.mailroom.events.MailroomEvent;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.MailboxPath;
import java.time.Instant;
import java.util.List;

/**
 * A change the account's owner asked for, to be applied on the IMAP server by the connector that
 * holds the account. The gateway resolved every message to where the store last saw it, so the
 * connector needs no database. The outcome is a {@code command.applied} or {@code command.failed}
 * on the mail topic, in order with the mail events of what the command changed.
 *
 * <p>{@code flags} is set for {@link CommandAction#FLAGS}, {@code destination} for {@link
 * CommandAction#MOVE}; each is absent otherwise.
 *
 * <p>{@code commandId} is the event id: derived from the request's {@code Idempotency-Key} when it
 * had one (see {@link #idFor}), so a retried request names the same command.
 */
public record CommandRequested(
    AccountId accountId,
    String commandId,
    CommandAction action,
    List<CommandTarget> targets,
    FlagEdit flags,
    MailboxPath destination,
    String idempotencyKey,
    String requestedBy,
    Instant requestedAt)
    implements MailroomEvent {

  public CommandRequested {
    targets = targets == null ? List.of() : List.copyOf(targets);
  }

  @Override
  public String eventId() {
    return commandId;
  }

  /** The command id of a request with this Idempotency-Key: the same key, the same command. */
  public static String idFor(AccountId accountId, String ownerId, String idempotencyKey) {
    return dev.mailroom.events.EventIds.of("mailroom.command", accountId, ownerId, idempotencyKey);
  }
}
