package dev.mailroom.connector.imap;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The certificates the connector trusts: the JDK's own authorities, plus an optional CA of the
 * operator's (an in-house CA, or the local stack's). Host names are checked separately by Angus
 * ({@code mail.imaps.ssl.checkserveridentity}), which is off by default there.
 */
public final class TrustMaterial {

  private TrustMaterial() {}

  public static SSLSocketFactory socketFactory(Optional<String> extraCaPem) {
    try {
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(extraCaPem.isPresent() ? withExtraCa(Path.of(extraCaPem.get())) : null);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context.getSocketFactory();
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build the TLS trust store: " + e.getMessage(), e);
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
