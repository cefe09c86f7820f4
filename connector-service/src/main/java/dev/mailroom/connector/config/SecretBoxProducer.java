package dev.mailroom.connector.config;

import dev.mailroom.events.crypto.CredentialKeys;
import dev.mailroom.events.crypto.SecretBox;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The one {@link SecretBox} that opens sealed passwords: only the connector logs in. */
public class SecretBoxProducer {

  @Produces
  @Singleton
  SecretBox secretBox(ConnectorConfig config) {
    ConnectorConfig.Credentials c = config.credentials();
    return CredentialKeys.box(c.keyId(), c.key(), c.oldKeys());
  }
}
