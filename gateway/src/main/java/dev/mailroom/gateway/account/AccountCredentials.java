package dev.mailroom.gateway.account;

import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.events.crypto.SecretBox;
import dev.mailroom.gateway.preset.Preset;
import dev.mailroom.gateway.preset.Presets;
import dev.mailroom.gateway.verify.CredentialVerifier;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Locale;
import org.jboss.logging.MDC;

/**
 * What proves Mailroom may log in: the password, and the self-signed certificate the owner
 * approved. A change is tried against the server (through the connector, as for a new account)
 * before it replaces what works now: a typo must not disconnect a working account.
 */
@ApplicationScoped
public class AccountCredentials {

  private final AccountDefinitions definitions;
  private final AccountEventPublisher publisher;
  private final CredentialVerifier verifier;
  private final SecretBox secrets;
  private final Clock clock = Clock.systemUTC();

  @Inject
  public AccountCredentials(
      AccountDefinitions definitions,
      AccountEventPublisher publisher,
      CredentialVerifier verifier,
      SecretBox secrets) {
    this.definitions = definitions;
    this.publisher = publisher;
    this.verifier = verifier;
    this.secrets = secrets;
  }

  /**
   * @throws dev.mailroom.gateway.problem.GatewayException.Unprocessable when the server refuses the
   *     new password (the old one stays)
   */
  public AccountDefined changePassword(String accountId, String ownerId, String password) {
    AccountDefined current = definitions.requireOwned(accountId, ownerId);
    // Sealed for this account at its endpoint, as at creation (CredentialBinding).
    AccountDefined next =
        with(current, current.imap(), secrets.seal(password, current.accountId(), current.imap()));
    return verifyAndPublish(next, "password changed");
  }

  /**
   * Approves the certificate the server presents now (after a rotation, the pinned one no longer
   * matches and the account fails with CERTIFICATE_SELF_SIGNED and the new fingerprint). The login
   * is tried with the new pin: a fingerprint that is not the server's is refused with the one seen.
   */
  public AccountDefined approveCertificate(String accountId, String ownerId, String sha256) {
    AccountDefined current = definitions.requireOwned(accountId, ownerId);
    String pin = sha256.replace(":", "").toLowerCase(Locale.ROOT);
    AccountDefined next =
        with(current, current.imap().withPinnedCertificate(pin), current.password());
    return verifyAndPublish(next, "certificate approved");
  }

  private AccountDefined verifyAndPublish(AccountDefined next, String what) {
    MDC.put("accountId", next.accountId().toString());
    try {
      verifier.verify(
          next,
          Presets.byImapHost(next.imap().host())
              .or(() -> Presets.byAddress(next.email()))
              .map(Preset::appPassword)
              .orElse(null));
      publisher.publish(next);
      Log.info(what);
    } finally {
      MDC.remove("accountId");
    }
    return next;
  }

  private AccountDefined with(
      AccountDefined current,
      dev.mailroom.events.account.ImapEndpoint imap,
      dev.mailroom.events.model.EncryptedSecret password) {
    return new AccountDefined(
        current.accountId(),
        current.ownerId(),
        current.displayName(),
        current.email(),
        imap,
        password,
        clock.instant(),
        current.createdAt(),
        current.smtp(),
        current.smtpPassword());
  }
}
