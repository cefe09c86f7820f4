package dev.mailroom.gateway.admin;

import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.events.account.ImapEndpoint;
import dev.mailroom.events.account.Security;
import dev.mailroom.events.crypto.SecretBox;
import dev.mailroom.gateway.account.AccountDefinitions;
import dev.mailroom.gateway.account.AccountEventPublisher;
import dev.mailroom.gateway.preset.ProviderPolicy;
import dev.mailroom.gateway.problem.GatewayException;
import dev.mailroom.gateway.verify.SameMailboxVerifier;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import org.jboss.logging.MDC;

/**
 * Moves an account to another host name once the connector has shown that the new one serves the
 * same mailbox (same INBOX UIDVALIDITY, same Message-IDs under the same UIDs). The account keeps
 * its id, owner, username and password; the password is sealed anew for the new endpoint (it is
 * bound to its endpoint, {@code CredentialBinding}), and a new definition is published, so the
 * connector's sessions pick it up as for any other change.
 *
 * <p>The new host gets the password only over TLS or STARTTLS, with a certificate that passes the
 * normal checks or is the account's pinned one: {@code security: none} is refused, acknowledged or
 * not, because nothing about the new host is proven when the password would cross in clear.
 */
@ApplicationScoped
public class HostChange {

  private final AccountDefinitions definitions;
  private final SameMailboxVerifier verifier;
  private final AccountEventPublisher publisher;
  private final SecretBox secrets;
  private final Clock clock;

  @Inject
  public HostChange(
      AccountDefinitions definitions,
      SameMailboxVerifier verifier,
      AccountEventPublisher publisher,
      SecretBox secrets) {
    this(definitions, verifier, publisher, secrets, Clock.systemUTC());
  }

  HostChange(
      AccountDefinitions definitions,
      SameMailboxVerifier verifier,
      AccountEventPublisher publisher,
      SecretBox secrets,
      Clock clock) {
    this.definitions = definitions;
    this.verifier = verifier;
    this.publisher = publisher;
    this.secrets = secrets;
    this.clock = clock;
  }

  /**
   * @return the account as it now is (unchanged when the endpoint was already this one)
   */
  public AccountDefined change(String accountId, HostChangeRequest request) {
    AccountDefined current = definitions.require(accountId);
    if ("none".equalsIgnoreCase(request.security().trim())) {
      throw new GatewayException.Unprocessable(
          "encryption-required",
          "The new host must use encryption",
          "A host change logs in to the new host with the account's password before anything about"
              + " that host is proven, so it is done over TLS or STARTTLS only: set security to tls"
              + " or starttls. Nothing was changed.",
          null);
    }
    ProviderPolicy.check(
        current.email(),
        current.imap().username(),
        request.host(),
        request.port(),
        request.security(),
        Boolean.TRUE.equals(request.acknowledgeNoEncryption()));
    ImapEndpoint proposed =
        new ImapEndpoint(
            request.host().trim(),
            request.port(),
            Security.fromWire(request.security().trim()),
            current.imap().username(),
            // Kept: another name for the same server presents the same certificate. If it does not,
            // the login on the new host fails with the certificate's category and nothing changes.
            current.imap().pinnedCertificateSha256());
    if (proposed.equals(current.imap())) {
      return current;
    }
    MDC.put("accountId", current.accountId().toString());
    try {
      verifier.verify(current, proposed);
      // Opened from the definition (the topic pairs password and endpoint) and sealed for the new
      // endpoint: a password bound to the old host would not open for the new one.
      String password = secrets.openDefinition(current);
      AccountDefined moved =
          new AccountDefined(
              current.accountId(),
              current.ownerId(),
              current.displayName(),
              current.email(),
              proposed,
              secrets.seal(password, current.accountId(), proposed),
              clock.instant(),
              current.createdAt(),
              current.smtp(),
              current.smtpPassword());
      publisher.publish(moved);
      Log.infof(
          "account moved by an admin from %s:%d to %s:%d after the same-mailbox check",
          current.imap().host(), current.imap().port(), proposed.host(), proposed.port());
      return moved;
    } finally {
      MDC.remove("accountId");
    }
  }
}
