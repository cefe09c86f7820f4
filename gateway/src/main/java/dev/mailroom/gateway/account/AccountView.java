package dev.mailroom.gateway.account;

import dev.mailroom.events.account.AccountDefined;

/**
 * An account as the gateway answers a POST with it. It has no password field at all, so no code
 * path can put one in a response. Every field is always present, null when the owner gave none.
 *
 * @param status {@code pending} until the connector has logged in for the first time
 */
public record AccountView(
    String id,
    String displayName,
    String email,
    String host,
    int port,
    String security,
    String username,
    String status) {

  public static final String PENDING = "pending";

  static AccountView pending(AccountDefined event) {
    return of(event, PENDING);
  }

  /** The account as this definition describes it, with a status known from elsewhere. */
  public static AccountView of(AccountDefined event, String status) {
    return new AccountView(
        event.accountId().toString(),
        event.displayName(),
        event.email(),
        event.imap().host(),
        event.imap().port(),
        event.imap().security().wireName(),
        event.imap().username(),
        status);
  }
}
