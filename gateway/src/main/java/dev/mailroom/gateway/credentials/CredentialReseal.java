package dev.mailroom.gateway.credentials;

import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.events.crypto.SecretBox;
import dev.mailroom.gateway.account.AccountDefinitions;
import dev.mailroom.gateway.account.AccountEventPublisher;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.MDC;

/**
 * Seals every account's password anew with the active key, bound to the account's endpoint: the
 * second half of a key rotation (after it, the retired keys can be dropped from {@code
 * mailroom.credentials.old-keys}) and the migration of passwords sealed before endpoint binding. A
 * definition already sealed that way is left alone, so running it twice changes nothing.
 */
@ApplicationScoped
public class CredentialReseal {

  /** What a run did; ids only, never a secret. */
  public record Outcome(
      String activeKeyId,
      int accounts,
      int resealed,
      int alreadyCurrent,
      List<String> unopenable) {}

  private final AccountDefinitions definitions;
  private final AccountEventPublisher publisher;
  private final SecretBox secrets;
  private final Clock clock;

  public CredentialReseal(
      AccountDefinitions definitions, AccountEventPublisher publisher, SecretBox secrets) {
    this.definitions = definitions;
    this.publisher = publisher;
    this.secrets = secrets;
    this.clock = Clock.systemUTC();
  }

  public Outcome resealAll() {
    List<AccountDefined> all = definitions.all();
    int resealed = 0;
    int current = 0;
    List<String> unopenable = new ArrayList<>();
    for (AccountDefined account : all) {
      if (secrets.isCurrent(account)) {
        current++;
        continue;
      }
      MDC.put("accountId", account.accountId().toString());
      try {
        String password;
        String smtpPassword;
        try {
          password = secrets.openDefinition(account);
          smtpPassword = account.smtpPassword() == null ? null : secrets.openSmtp(account);
        } catch (SecretBox.SecretException e) {
          // Sealed with a key this gateway no longer holds: only the owner can give it again.
          Log.warnf("password not sealed anew: %s", e.getMessage());
          unopenable.add(account.accountId().toString());
          continue;
        }
        publisher.publish(
            new AccountDefined(
                account.accountId(),
                account.ownerId(),
                account.displayName(),
                account.email(),
                account.imap(),
                secrets.seal(password, account.accountId(), account.imap()),
                clock.instant(),
                account.createdAt(),
                account.smtp(),
                smtpPassword == null
                    ? null
                    : secrets.seal(smtpPassword, account.accountId(), account.smtp())));
        resealed++;
      } finally {
        MDC.remove("accountId");
      }
    }
    Log.infof(
        "credentials sealed anew with key %s: %d of %d accounts (%d already current, %d unopenable)",
        secrets.activeKeyId(), resealed, all.size(), current, unopenable.size());
    return new Outcome(secrets.activeKeyId(), all.size(), resealed, current, unopenable);
  }
}
