package dev.mailroom.gateway.account;

import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.events.account.ImapEndpoint;
import dev.mailroom.events.account.SmtpEndpoint;
import dev.mailroom.gateway.problem.GatewayException;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import org.jboss.logging.MDC;

/**
 * The owner's normal update: the name and address shown for the account. Where Mailroom logs in
 * does not change here: a new host name may reach a different mailbox, whose mail would be synced
 * into this account as if it were the same and make the old mail look deleted. Only an admin can
 * change it, after the connector has shown that both names serve the same mailbox.
 */
@ApplicationScoped
public class AccountUpdate {

  static final String HOST_CHANGE_REFUSED = "host-change-refused";

  private final AccountDefinitions definitions;
  private final AccountEventPublisher publisher;
  private final Clock clock;

  @Inject
  public AccountUpdate(AccountDefinitions definitions, AccountEventPublisher publisher) {
    this(definitions, publisher, Clock.systemUTC());
  }

  AccountUpdate(AccountDefinitions definitions, AccountEventPublisher publisher, Clock clock) {
    this.definitions = definitions;
    this.publisher = publisher;
    this.clock = clock;
  }

  /**
   * @throws GatewayException.NotFound when the caller owns no such account
   * @throws GatewayException.Conflict when the body changes the IMAP or SMTP server
   */
  public AccountDefined update(String accountId, String ownerId, UpdateAccountRequest request) {
    AccountDefined current = definitions.requireOwned(accountId, ownerId);
    refuseServerChange(current.imap(), current.smtp(), request);
    AccountDefined next = apply(current, request, clock.instant());
    MDC.put("accountId", next.accountId().toString());
    try {
      publisher.publish(next);
      Log.info("account details updated");
    } finally {
      MDC.remove("accountId");
    }
    return next;
  }

  /** The new definition: same id, owner, server and sealed password; pure. */
  static AccountDefined apply(AccountDefined current, UpdateAccountRequest request, Instant now) {
    return new AccountDefined(
        current.accountId(),
        current.ownerId(),
        request.displayName() == null ? current.displayName() : blankToNull(request.displayName()),
        request.email() == null ? current.email() : blankToNull(request.email()),
        current.imap(),
        // Kept as it is: sealed for this account and its endpoint, neither of which changes here.
        current.password(),
        now,
        current.createdAt(),
        current.smtp(),
        current.smtpPassword());
  }

  /** Sending the server as it is is fine; changing any part of it is not. */
  static void refuseServerChange(
      ImapEndpoint imap, SmtpEndpoint smtp, UpdateAccountRequest request) {
    if (request.host() != null && !request.host().trim().equalsIgnoreCase(imap.host())) {
      throw refused("IMAP host");
    }
    if (request.port() != null && request.port() != imap.port()) {
      throw refused("IMAP port");
    }
    if (request.security() != null
        && !request.security().trim().toLowerCase(Locale.ROOT).equals(imap.security().wireName())) {
      throw refused("IMAP security");
    }
    // The SMTP host follows the IMAP host's rule (the FAQ treats both alike): another name may
    // be another provider, which would send as this account from elsewhere.
    if (request.smtpHost() != null
        && (smtp == null || !request.smtpHost().trim().equalsIgnoreCase(smtp.host()))) {
      throw refused("SMTP host");
    }
  }

  private static GatewayException.Conflict refused(String what) {
    return new GatewayException.Conflict(
        HOST_CHANGE_REFUSED,
        "the "
            + what
            + " of an account cannot be changed by an update: another host name may"
            + " reach a different mailbox, whose mail would be mixed into this account. Nothing"
            + " was changed. Connect the new server as a new account, or ask an administrator to"
            + " change it after checking it serves the same mailbox");
  }

  private static String blankToNull(String text) {
    return text.isBlank() ? null : text.trim();
  }
}
