package dev.mailroom.connector.command;

import dev.mailroom.events.mail.CommandFailed;

/** A command that cannot be applied as it stands (its mailbox is gone, read-only, reset). */
final class CommandRefused extends Exception {

  private final CommandFailed.Reason reason;

  CommandRefused(CommandFailed.Reason reason, String detail) {
    super(detail);
    this.reason = reason;
  }

  CommandFailed.Reason reason() {
    return reason;
  }
}
