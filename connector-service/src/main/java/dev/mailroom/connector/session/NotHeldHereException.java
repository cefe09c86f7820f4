package dev.mailroom.connector.session;

import dev.mailroom.events.model.AccountId;

/**
 * The account has no session on this instance, or its session stopped before the work ran: its
 * partition belongs to another instance now, or the account was deleted. Whoever submitted the work
 * leaves it to the account's owner (for a command, the instance that now reads its partition).
 */
public final class NotHeldHereException extends RuntimeException {

  public NotHeldHereException(AccountId accountId) {
    super("account " + accountId + " has no session on this instance");
  }
}
