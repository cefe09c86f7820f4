package dev.mailroom.connector.command;

import dev.mailroom.events.mail.CommandApplied;
import dev.mailroom.events.mail.CommandFailed;
import dev.mailroom.events.mail.MailEvent;
import dev.mailroom.events.model.AccountId;
import java.time.Instant;

/**
 * What applying a command came to: every message as asked ({@code failure} null), or the first
 * reason it was not, with how many messages were changed all the same.
 */
record Outcome(int changed, int unchanged, CommandFailed.Reason failure, String detail) {

  static Outcome applied(int changed, int unchanged) {
    return new Outcome(changed, unchanged, null, null);
  }

  static Outcome failed(CommandFailed.Reason reason, String detail) {
    return new Outcome(0, 0, reason, detail);
  }

  MailEvent event(AccountId accountId, String commandId, Instant now) {
    return failure == null
        ? new CommandApplied(accountId, commandId, changed, unchanged, now)
        : new CommandFailed(accountId, commandId, failure, detail, changed, now);
  }
}
