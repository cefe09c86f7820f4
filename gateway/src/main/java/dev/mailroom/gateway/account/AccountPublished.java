package dev.mailroom.gateway.account;

import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.events.model.AccountId;

/**
 * A CDI event fired once the broker has acknowledged a new definition or a deletion, for whatever
 * in the gateway follows its own writes.
 *
 * @param account the definition; null when the account was deleted (a tombstone)
 */
public record AccountPublished(AccountId accountId, AccountDefined account) {

  public AccountPublished(AccountDefined account) {
    this(account.accountId(), account);
  }
}
