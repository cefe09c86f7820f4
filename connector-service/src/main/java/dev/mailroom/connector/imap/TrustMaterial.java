package dev.mailroom.connector.imap;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The certificates the connector trusts: the JDK's own authorities, plus an optional CA of the
 * operator's (an in-house CA, or the local stack's), plus, per account, the one self-signed
 * certificate its owner approved. Host names are checked separately by Angus ({@code
 * mail.imaps.ssl.checkserveridentity}), which is off by default there.
 */
public final class TrustMaterial {

  private final X509ExtendedTrustManager authorities;

  private TrustMaterial(X509ExtendedTrustManager authorities) {
    this.authorities = authorities;
  }

  public static TrustMaterial load(Optional<String> extraCaPem) {
    try {
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(
          extraCaPem.filter(p -> !p.isBlank()).isPresent()
              ? withExtraCa(Path.of(extraCaPem.get()))
              : null);
      TrustManager[] managers = tmf.getTrustManagers();
      return new TrustMaterial(
          Arrays.stream(managers)
              .filter(X509ExtendedTrustManager.class::isInstance)
              .map(X509ExtendedTrustManager.class::cast)
              .findFirst()
              .orElseThrow(() -> new GeneralSecurityException("no X.509 trust manager")));
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build the TLS trust store: " + e.getMessage(), e);
    }
  }

  /** The TLS side of one connection attempt (IMAP or SMTP). */
  public record ForConnection(SSLSocketFactory socketFactory, CertificateCheck check) {

    /** Why the certificate was refused during this attempt's handshake, or null. */
    public CertificateRefusedException refusal() {
      return check.refusal();
    }
  }

  /**
   * @param pinnedSha256 the owner's approved certificate, or null
   */
  public ForConnection forConnection(String pinnedSha256) {
    try {
      CertificateCheck check = new CertificateCheck(authorities, pinnedSha256);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {check}, null);
      return new ForConnection(context.getSocketFactory(), check);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build a TLS context: " + e.getMessage(), e);
    }
  }

  private static KeyStore withExtraCa(Path pem) throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    Path cacerts = Path.of(System.getProperty("java.home"), "lib", "security", "cacerts");
    try (InputStream in = Files.newInputStream(cacerts)) {
      store.load(in, null);
    }
    CertificateFactory certificates = CertificateFactory.getInstance("X.509");
    try (InputStream in = Files.newInputStream(pem)) {
      int n = 0;
      for (var cert : certificates.generateCertificates(in)) {
        store.setCertificateEntry("mailroom-extra-ca-" + n++, (X509Certificate) cert);
      }
    }
    return store;
  }
}
