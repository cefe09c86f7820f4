package dev.mailroom.connector.imap;

import dev.mailroom.events.connection.FailureCategory;
import java.security.cert.CertificateException;

/**
 * The server's certificate was refused, with the category the owner needs and the fingerprint of
 * the certificate that was seen (so a self-signed one can be compared and approved).
 */
public final class CertificateRefusedException extends CertificateException {

  private final FailureCategory category;
  private final String sha256;

  CertificateRefusedException(
      FailureCategory category, String sha256, String message, Throwable cause) {
    super(message, cause);
    this.category = category;
    this.sha256 = sha256;
  }

  public FailureCategory category() {
    return category;
  }

  /** SHA-256 of the server's certificate, lower-case hex. */
  public String sha256() {
    return sha256;
  }
}
