package dev.mailroom.connector;

import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.events.account.ImapEndpoint;
import dev.mailroom.events.account.Security;
import dev.mailroom.events.crypto.SecretBox;
import dev.mailroom.events.model.AccountId;
import java.time.Instant;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;

/** Account definitions as the gateway publishes them, sealed with the test profile's key. */
public final class TestAccounts {

  private TestAccounts() {}

  /** An account on the test Dovecot over TLS. */
  public static AccountDefined onDovecot(AccountId id, String user, String password) {
    return at(
        id,
        user,
        password,
        new ImapEndpoint(TestDovecot.HOST, TestDovecot.IMAPS_PORT, Security.TLS, user));
  }

  public static AccountDefined at(
      AccountId id, String user, String password, ImapEndpoint endpoint) {
    var config = ConfigProvider.getConfig();
    String keyId = config.getValue("mailroom.credentials.key-id", String.class);
    String key = config.getValue("mailroom.credentials.key", String.class);
    var sealed = SecretBox.of(keyId, Map.of(keyId, key)).seal(password, id, endpoint);
    Instant now = Instant.now();
    return new AccountDefined(id, "owner", user, user + "@localhost", endpoint, sealed, now, now);
  }
}
