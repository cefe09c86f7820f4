package dev.mailroom.events.model;

/**
 * A secret (an IMAP password) sealed with AES-256-GCM. {@code keyId} names the key that sealed it,
 * so keys can be rotated: a reader keeps the old keys until every secret is sealed anew. The nonce
 * and ciphertext (tag included) are base64. See {@link dev.mailroom.events.crypto.SecretBox}.
 */
public record EncryptedSecret(String keyId, String nonce, String ciphertext) {

  public EncryptedSecret {
    if (keyId == null || nonce == null || ciphertext == null) {
      throw new IllegalArgumentException("an encrypted secret needs keyId, nonce and ciphertext");
    }
  }

  /** Never print the sealed bytes: they are safe, but noise in logs invites copying. */
  @Override
  public String toString() {
    return "EncryptedSecret[keyId=" + keyId + "]";
  }
}
