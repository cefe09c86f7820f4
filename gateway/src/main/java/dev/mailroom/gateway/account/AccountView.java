package dev.mailroom.gateway.account;

import dev.mailroom.events.account.AccountDefined;

/**
 * An account as the gateway answers a POST with it. It has no password field at all, so no code
 * path can put one in a response. Every field is always present, null when the owner gave none.
 *
 * @param status {@code pending} until the connector has logged in for the first time
 * @param smtp where the account's mail is sent, or null when it does not send
 */
public record AccountView(
    String id,
    String displayName,
    String email,
    String host,
    int port,
    String security,
    String username,
    String status,
    Smtp smtp) {

  /** The SMTP server as the owner may see it: no password, sealed or not. */
  public record Smtp(
      String host, int port, String security, String username, boolean savesSentCopy) {}

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
        status,
        event.smtp() == null
            ? null
            : new Smtp(
                event.smtp().host(),
                event.smtp().port(),
                event.smtp().security().wireName(),
                event.smtp().username(),
                event.smtp().savesSentCopy()));
  }
}
