package dev.mailroom.gateway.account;

import dev.mailroom.events.account.AccountDefined;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.MDC;

/**
 * Deletes an account by its tombstone on the accounts topic, the one record every holder of the
 * account follows: the connector closes its sessions (AccountOwnership), sync-service removes the
 * account's mail, mailboxes and change log, health-service its status, and compaction removes the
 * definition with its sealed password.
 */
@ApplicationScoped
public class AccountDeletion {

  private final AccountDefinitions definitions;
  private final AccountEventPublisher publisher;
  private final StoreCatchUp catchUp;
  @Inject jakarta.enterprise.event.Event<AccountPublished> published;

  @Inject
  public AccountDeletion(
      AccountDefinitions definitions, AccountEventPublisher publisher, StoreCatchUp catchUp) {
    this.definitions = definitions;
    this.publisher = publisher;
    this.catchUp = catchUp;
  }

  /**
   * Publishes the tombstone, then waits (bounded) for the store to drop the account, so that the
   * caller's next list no longer shows it.
   *
   * @throws dev.mailroom.gateway.problem.GatewayException.NotFound when the caller owns no such
   *     account (an account deleted already included)
   */
  public void delete(String accountId, String ownerId) {
    AccountDefined current = definitions.requireOwned(accountId, ownerId);
    MDC.put("accountId", current.accountId().toString());
    try {
      publisher.publishTombstone(current.accountId());
      Log.info("account deleted");
    } finally {
      MDC.remove("accountId");
    }
    published.fire(new AccountPublished(current.accountId(), null));
    catchUp.awaitGone(current.accountId());
  }
}
