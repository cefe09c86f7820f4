package dev.mailroom.gateway.account;

import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.events.account.ImapEndpoint;
import dev.mailroom.events.account.Security;
import dev.mailroom.events.account.SmtpEndpoint;
import dev.mailroom.events.crypto.SecretBox;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.gateway.preset.Preset;
import dev.mailroom.gateway.preset.Presets;
import dev.mailroom.gateway.preset.ProviderPolicy;
import dev.mailroom.gateway.verify.CredentialVerifier;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
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
  private final CredentialVerifier verifier;
  private final Clock clock;
  @Inject Event<AccountPublished> published;
  @Inject StoreCatchUp catchUp;
  @Inject dev.mailroom.gateway.limit.UserLimits limits;
  @Inject dev.mailroom.gateway.sync.MessageStore store;

  @Inject
  public AccountRegistration(
      SecretBox secrets, AccountEventPublisher publisher, CredentialVerifier verifier) {
    this(secrets, publisher, verifier, Clock.systemUTC());
  }

  AccountRegistration(
      SecretBox secrets,
      AccountEventPublisher publisher,
      CredentialVerifier verifier,
      Clock clock) {
    this.secrets = secrets;
    this.publisher = publisher;
    this.verifier = verifier;
    this.clock = clock;
  }

  /**
   * Refuses what Mailroom cannot serve (POP, ProtonMail, unacknowledged clear text), has the
   * connector log in with the sealed password, and only then publishes the account.
   */
  public AccountView register(String ownerId, NewAccountRequest request) {
    ProviderPolicy.check(
        request.email(),
        request.username(),
        request.host(),
        request.port(),
        request.security(),
        Boolean.TRUE.equals(request.acknowledgeNoEncryption()));
    if (limits != null) {
      limits.newAccount(store.accountsOf(ownerId).size());
      limits.credentialCheck(ownerId);
    }
    AccountDefined event = define(ownerId, request, AccountId.random(), clock.instant());
    if (event.smtp() != null) {
      ProviderPolicy.checkSmtp(
          event.smtp().security().wireName(),
          Boolean.TRUE.equals(request.acknowledgeNoEncryption()));
    }
    MDC.put("accountId", event.accountId().toString());
    MDC.put("eventId", event.eventId());
    try {
      Long smtpMaxSize =
          verifier.verify(
              event,
              Presets.byImapHost(event.imap().host())
                  .or(() -> Presets.byAddress(request.email()))
                  .map(Preset::appPassword)
                  .orElse(null));
      if (event.smtp() != null && smtpMaxSize != null) {
        // Kept with the account: the outbox refuses a message above it before queueing it.
        event = event.withSmtp(event.smtp().withMaxMessageSize(smtpMaxSize));
      }
      publisher.publish(event);
      Log.infof(
          "account defined: %s:%d (%s)",
          event.imap().host(), event.imap().port(), event.imap().security().wireName());
      if (published != null) {
        published.fire(new AccountPublished(event));
        // Read your own writes: the 201 comes once GET /api/accounts lists the account (bounded).
        catchUp.awaitStored(event.accountId());
      }
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
            request.username(),
            request.pinnedCertificate());
    SmtpEndpoint smtp =
        SmtpSettings.of(
            request,
            Presets.byImapHost(imap.host())
                .or(() -> Presets.byAddress(request.email()))
                .orElse(null));
    String smtpPassword = blankToNull(request.smtpPassword());
    return new AccountDefined(
        id,
        ownerId,
        blankToNull(request.displayName()),
        blankToNull(request.email()),
        imap,
        // Bound to this account and endpoint (CredentialBinding): the ciphertext opens for no
        // other account and no other server.
        secrets.seal(request.password(), id, imap),
        now,
        now,
        smtp,
        smtp == null || smtpPassword == null
            ? null
            : secrets.seal(request.smtpPassword(), id, smtp));
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text.trim();
  }
}
