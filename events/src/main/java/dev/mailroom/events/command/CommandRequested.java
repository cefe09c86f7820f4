package dev.mailroom.events.command;

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
 * CommandAction#MOVE} (where to) and the mailbox commands (the new path), {@code mailbox} for a
 * rename or delete of a mailbox (the mailbox acted on); each is absent otherwise, and {@code
 * targets} is empty for the mailbox commands.
 *
 * <p>{@code commandId} is the event id: derived from the request's {@code Idempotency-Key} when it
 * had one (see {@link #idFor}), so a retried request names the same command. {@code requestDigest}
 * is a digest of what was asked (action, messages, flags, destination), set by the gateway for a
 * request with an Idempotency-Key: the same key sent again with a different request is refused
 * (422) rather than answered with the first command. Absent in commands from before it was added.
 */
public record CommandRequested(
    AccountId accountId,
    String commandId,
    CommandAction action,
    List<CommandTarget> targets,
    FlagEdit flags,
    MailboxPath destination,
    MailboxPath mailbox,
    String idempotencyKey,
    String requestedBy,
    Instant requestedAt,
    String requestDigest)
    implements CommandEvent {

  public CommandRequested {
    targets = targets == null ? List.of() : List.copyOf(targets);
  }

  /** A command without a request digest (no Idempotency-Key, or a producer from before it). */
  public CommandRequested(
      AccountId accountId,
      String commandId,
      CommandAction action,
      List<CommandTarget> targets,
      FlagEdit flags,
      MailboxPath destination,
      MailboxPath mailbox,
      String idempotencyKey,
      String requestedBy,
      Instant requestedAt) {
    this(
        accountId,
        commandId,
        action,
        targets,
        flags,
        destination,
        mailbox,
        idempotencyKey,
        requestedBy,
        requestedAt,
        null);
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
