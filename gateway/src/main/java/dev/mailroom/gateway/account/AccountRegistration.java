package dev.mailroom.gateway.account;

import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.events.account.ImapEndpoint;
import dev.mailroom.events.account.Security;
import dev.mailroom.events.crypto.SecretBox;
import dev.mailroom.events.model.AccountId;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import org.jboss.logging.MDC;

/**
 * Turns a validated request into an {@link AccountDefined} event: a new id, the password sealed for
 * that id, and the owner taken from the token, never from the body.
 */
@ApplicationScoped
public class AccountRegistration {

  private final SecretBox secrets;
  private final AccountEventPublisher publisher;
  private final Clock clock;

  @Inject
  public AccountRegistration(SecretBox secrets, AccountEventPublisher publisher) {
    this(secrets, publisher, Clock.systemUTC());
  }

  AccountRegistration(SecretBox secrets, AccountEventPublisher publisher, Clock clock) {
    this.secrets = secrets;
    this.publisher = publisher;
    this.clock = clock;
  }

  public AccountView register(String ownerId, NewAccountRequest request) {
    AccountDefined event = define(ownerId, request, AccountId.random(), clock.instant());
    MDC.put("accountId", event.accountId().toString());
    MDC.put("eventId", event.eventId());
    try {
      publisher.publish(event);
      Log.infof(
          "account defined: %s:%d (%s)",
          event.imap().host(), event.imap().port(), event.imap().security().wireName());
    } finally {
      MDC.remove("accountId");
      MDC.remove("eventId");
    }
    return AccountView.pending(event);
  }

  /** The event for a request; pure, apart from the random nonce of the sealing. */
  AccountDefined define(String ownerId, NewAccountRequest request, AccountId id, Instant now) {
    ImapEndpoint imap =
        new ImapEndpoint(
            request.host().trim(),
            request.port(),
            Security.fromWire(request.security().trim()),
            request.username());
    return new AccountDefined(
        id,
        ownerId,
        blankToNull(request.displayName()),
        blankToNull(request.email()),
        imap,
        // The account id as associated data: this ciphertext opens for this account only.
        secrets.seal(request.password(), id.toString()),
        now);
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text.trim();
  }
}
