package dev.mailroom.connector.imap;

import dev.mailroom.events.connection.FailureCategory;
import java.net.Socket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * One connection's certificate check: the JDK's PKIX validation against the trusted authorities,
 * or, when the owner pinned a certificate, that exact certificate and no other. A refusal says why
 * in the terms the owner can act on (expired, self-signed with its fingerprint, unknown authority).
 * The host name is checked afterwards by Angus ({@code ssl.checkserveridentity}), pinned or not.
 *
 * <p>One instance per connection attempt: JSSE does not keep the trust manager's exception as the
 * handshake failure's cause, so the refusal is also kept here for {@link ImapConnector} to report.
 */
final class CertificateCheck extends X509ExtendedTrustManager {

  private final X509ExtendedTrustManager authorities;
  private final String pinnedSha256;
  private volatile CertificateRefusedException refusal;

  /** Why the certificate was refused during this connection's handshake, or null. */
  CertificateRefusedException refusal() {
    return refusal;
  }

  CertificateCheck(X509ExtendedTrustManager authorities, String pinnedSha256) {
    this.authorities = authorities;
    this.pinnedSha256 = pinnedSha256;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    check(chain, () -> authorities.checkServerTrusted(chain, authType, socket));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(chain, () -> authorities.checkServerTrusted(chain, authType, engine));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    check(chain, () -> authorities.checkServerTrusted(chain, authType));
  }

  private interface Validation {
    void run() throws CertificateException;
  }

  private void check(X509Certificate[] chain, Validation pkix) throws CertificateException {
    try {
      refuseOrAccept(chain, pkix);
    } catch (CertificateRefusedException e) {
      refusal = e;
      throw e;
    }
  }

  private void refuseOrAccept(X509Certificate[] chain, Validation pkix)
      throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("the server sent no certificate");
    }
    X509Certificate leaf = chain[0];
    String sha256 = sha256(leaf);
    try {
      leaf.checkValidity();
    } catch (CertificateExpiredException | CertificateNotYetValidException e) {
      throw new CertificateRefusedException(
          FailureCategory.CERTIFICATE_EXPIRED,
          sha256,
          "certificate not valid now (valid "
              + leaf.getNotBefore().toInstant()
              + " to "
              + leaf.getNotAfter().toInstant()
              + "), SHA-256 "
              + sha256,
          e);
    }
    if (pinnedSha256 != null) {
      if (pinnedSha256.equals(sha256)) {
        return;
      }
      // A different certificate than the one approved: refused exactly as if nothing were pinned.
    }
    try {
      pkix.run();
    } catch (CertificateException e) {
      // With endpoint identification on (Angus's ssl.checkserveridentity), the JDK checks the
      // host name in the same call and says so only in words.
      String why = String.valueOf(e.getMessage());
      if (why.contains("No subject alternative") || why.contains("No name matching")) {
        throw new CertificateRefusedException(
            FailureCategory.CERTIFICATE_HOST_MISMATCH,
            sha256,
            "certificate of "
                + leaf.getSubjectX500Principal().getName()
                + " does not name this host ("
                + why
                + "), SHA-256 "
                + sha256,
            e);
      }
      if (chain.length == 1 && isSelfSigned(leaf)) {
        throw new CertificateRefusedException(
            FailureCategory.CERTIFICATE_SELF_SIGNED,
            sha256,
            "self-signed certificate for "
                + leaf.getSubjectX500Principal().getName()
                + ", SHA-256 "
                + sha256,
            e);
      }
      throw new CertificateRefusedException(
          FailureCategory.CERTIFICATE_UNKNOWN_AUTHORITY,
          sha256,
          "certificate of "
              + leaf.getSubjectX500Principal().getName()
              + " issued by "
              + leaf.getIssuerX500Principal().getName()
              + " is not trusted, SHA-256 "
              + sha256,
          e);
    }
  }

  static boolean isSelfSigned(X509Certificate certificate) {
    if (!certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
      return false;
    }
    try {
      certificate.verify(certificate.getPublicKey());
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  static String sha256(X509Certificate certificate) throws CertificateEncodingException {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    throw new CertificateException("the connector is never a TLS server");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    throw new CertificateException("the connector is never a TLS server");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    throw new CertificateException("the connector is never a TLS server");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return authorities.getAcceptedIssuers();
  }
}
