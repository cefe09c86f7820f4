package dev.mailroom.events.crypto;

import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.events.account.ImapEndpoint;
import dev.mailroom.events.account.SmtpEndpoint;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.EncryptedSecret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals and opens account passwords with AES-256-GCM. It lives beside the contracts because the
 * sealed form is part of the wire format of {@code mailroom.account.defined.v1}: the gateway seals,
 * the connector opens, and nobody else holds a key.
 *
 * <p>The associated data binds a ciphertext to its account and endpoint ({@link
 * CredentialBinding}), so a sealed password copied into another account's definition, or sent to
 * the connector with another host, does not open.
 */
public final class SecretBox {

  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String activeKeyId;
  private final Map<String, SecretKeySpec> keys;

  private SecretBox(String activeKeyId, Map<String, SecretKeySpec> keys) {
    this.activeKeyId = activeKeyId;
    this.keys = Map.copyOf(keys);
  }

  /**
   * @param activeKeyId the key that seals new secrets
   * @param base64Keys every key that may still open old secrets, the active one included, each 32
   *     bytes in base64
   */
  public static SecretBox of(String activeKeyId, Map<String, String> base64Keys) {
    if (!base64Keys.containsKey(activeKeyId)) {
      throw new IllegalArgumentException("no key material for the active key id " + activeKeyId);
    }
    var keys = new java.util.HashMap<String, SecretKeySpec>();
    base64Keys.forEach(
        (id, material) -> {
          byte[] bytes;
          try {
            bytes = Base64.getDecoder().decode(material.trim());
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("credential key " + id + " is not valid base64");
          }
          if (bytes.length != 32) {
            throw new IllegalArgumentException(
                "credential key " + id + " must be 32 bytes (AES-256), got " + bytes.length);
          }
          keys.put(id, new SecretKeySpec(bytes, "AES"));
        });
    return new SecretBox(activeKeyId, keys);
  }

  /** Seals {@code password} for this account at this endpoint, with the active key. */
  public EncryptedSecret seal(String password, AccountId accountId, ImapEndpoint endpoint) {
    return seal(password, CredentialBinding.of(accountId, endpoint));
  }

  /**
   * Opens a password sealed for this account at this endpoint, and nothing else: for checks whose
   * endpoint comes with the request (verify, host change).
   */
  public String open(EncryptedSecret secret, AccountId accountId, ImapEndpoint endpoint) {
    return open(secret, CredentialBinding.of(accountId, endpoint));
  }

  /**
   * Opens the password of an account definition read from the accounts topic, where the gateway
   * wrote password and endpoint together: bound to that endpoint, or sealed before endpoint binding
   * existed (account id only; {@link #isCurrent} says it should be sealed anew).
   */
  public String openDefinition(AccountDefined account) {
    try {
      return open(account.password(), account.accountId(), account.imap());
    } catch (SecretException e) {
      if (!keys.containsKey(account.password().keyId())) {
        throw e;
      }
      return open(account.password(), CredentialBinding.accountOnly(account.accountId()));
    }
  }

  /** Seals an SMTP password of its own for this account at this submission server. */
  public EncryptedSecret seal(String password, AccountId accountId, SmtpEndpoint endpoint) {
    return seal(password, CredentialBinding.of(accountId, endpoint));
  }

  /** Opens an SMTP password of its own sealed for this account at this submission server. */
  public String open(EncryptedSecret secret, AccountId accountId, SmtpEndpoint endpoint) {
    return open(secret, CredentialBinding.of(accountId, endpoint));
  }

  /**
   * The password to submit the definition's mail with: its SMTP password of its own where it has
   * one (bound to its SMTP endpoint), else the IMAP one ({@link #openDefinition}).
   */
  public String openSmtp(AccountDefined account) {
    return account.smtpPassword() == null
        ? openDefinition(account)
        : open(account.smtpPassword(), account.accountId(), account.smtp());
  }

  /**
   * True when the definition's passwords (the IMAP one, and the SMTP one of its own where there is
   * one) are sealed with the active key for their own endpoints.
   */
  public boolean isCurrent(AccountDefined account) {
    if (!activeKeyId.equals(account.password().keyId())) {
      return false;
    }
    try {
      open(account.password(), account.accountId(), account.imap());
      if (account.smtpPassword() != null) {
        if (!activeKeyId.equals(account.smtpPassword().keyId())) {
          return false;
        }
        open(account.smtpPassword(), account.accountId(), account.smtp());
      }
      return true;
    } catch (SecretException e) {
      return false;
    }
  }

  /** The id of the key that seals. */
  public String activeKeyId() {
    return activeKeyId;
  }

  public EncryptedSecret seal(String plaintext, String associatedData) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.ENCRYPT_MODE, keys.get(activeKeyId), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      return new EncryptedSecret(
          activeKeyId,
          Base64.getEncoder().encodeToString(nonce),
          Base64.getEncoder().encodeToString(sealed));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable in this JVM", e);
    }
  }

  public String open(EncryptedSecret secret, String associatedData) {
    SecretKeySpec key = keys.get(secret.keyId());
    if (key == null) {
      throw new SecretException(
          "the secret was sealed with key "
              + secret.keyId()
              + ", which this service does not hold");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      byte[] nonce = Base64.getDecoder().decode(secret.nonce());
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
      byte[] plain = cipher.doFinal(Base64.getDecoder().decode(secret.ciphertext()));
      return new String(plain, StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new SecretException("the secret does not open with key " + secret.keyId());
    }
  }

  /** A secret that cannot be opened; the message never contains secret material. */
  public static final class SecretException extends RuntimeException {
    public SecretException(String message) {
      super(message);
    }
  }
}
