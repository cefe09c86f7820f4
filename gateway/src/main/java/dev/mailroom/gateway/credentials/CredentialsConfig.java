package dev.mailroom.gateway.credentials;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/**
 * The keys that seal IMAP passwords before they leave the gateway (see {@code
 * dev.mailroom.events.crypto.SecretBox}). The connector-service holds the same keys to open them.
 * There is deliberately no default: a gateway without a key must not start.
 */
@ConfigMapping(prefix = "mailroom.credentials")
public interface CredentialsConfig {

  /**
   * The id of the key that seals new passwords; it travels with each sealed password so the reader
   * knows which key opens it. Env: {@code MAILROOM_CREDENTIALS_KEY_ID}.
   */
  String keyId();

  /** The active key: 32 random bytes (AES-256) in base64. Env: {@code MAILROOM_CREDENTIALS_KEY}. */
  String key();

  /**
   * Keys retired by a rotation, as {@code id:base64,id:base64}. The gateway only seals, with the
   * active key; it accepts the old ones so one setting can be shared with the services that open.
   * Env: {@code MAILROOM_CREDENTIALS_OLD_KEYS}.
   */
  Optional<String> oldKeys();
}
