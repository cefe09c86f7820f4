package dev.mailroom.events.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 digests for the hot paths that hash once per message (event ids, message identities,
 * thread keys). {@code MessageDigest.getInstance} looks the algorithm up among the security
 * providers on every call, which cost more than hashing a few hundred bytes; a clone of one
 * instance does not.
 */
public final class Sha256 {

  private static final MessageDigest PROTOTYPE;

  static {
    try {
      PROTOTYPE = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  private Sha256() {}

  /** A new digest, for one thread's use. */
  public static MessageDigest newDigest() {
    try {
      return (MessageDigest) PROTOTYPE.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("the SHA-256 provider cannot be cloned", e);
    }
  }

  public static byte[] digest(byte[] input) {
    return newDigest().digest(input);
  }
}
