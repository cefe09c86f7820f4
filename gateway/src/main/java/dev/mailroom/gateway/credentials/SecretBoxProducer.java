package dev.mailroom.gateway.credentials;

import dev.mailroom.events.crypto.CredentialKeys;
import dev.mailroom.events.crypto.SecretBox;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Makes the one {@link SecretBox} of the gateway from {@link CredentialsConfig}. */
@Singleton
public class SecretBoxProducer {

  @Produces
  @Singleton
  SecretBox secretBox(CredentialsConfig config) {
    return CredentialKeys.box(config.keyId(), config.key(), config.oldKeys());
  }

  /**
   * Builds the box at startup, so a missing or malformed key stops the gateway before it accepts an
   * account rather than on the first POST.
   */
  void checkKeys(@Observes StartupEvent startup, SecretBox box, CredentialsConfig config) {
    Log.infof("credential sealing ready, active key id %s", config.keyId().trim());
  }
}
