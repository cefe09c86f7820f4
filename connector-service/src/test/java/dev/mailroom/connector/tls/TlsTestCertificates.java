package dev.mailroom.connector.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates made for the test by the JDK's keytool, in a folder of its own: a CA of the test's
 * own, certificates it signed (good, wrong host name, expired) and self-signed ones. Each key store
 * is PKCS#12 with the password {@link #PASSWORD} and one key entry named {@code server}.
 */
final class TlsTestCertificates {

  static final String PASSWORD = "changeit";

  private final Path dir;

  TlsTestCertificates(Path dir) throws IOException {
    this.dir = Files.createDirectories(dir);
    Files.deleteIfExists(store("ca"));
    keytool(
        "-genkeypair",
        "-alias",
        "ca",
        "-keyalg",
        "EC",
        "-dname",
        "CN=Mailroom Test CA",
        "-ext",
        "bc:c",
        "-validity",
        "3",
        "-keystore",
        store("ca").toString());
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "ca",
        "-keystore",
        store("ca").toString(),
        "-file",
        caPem().toString());
  }

  Path caPem() {
    return dir.resolve("ca.pem");
  }

  /**
   * A certificate for {@code host} signed by the test CA.
   *
   * @param startdate keytool's syntax, e.g. {@code -1d}, or {@code -10d} with 2 days' validity for
   *     one that expired
   */
  Path signed(String name, String host, String startdate, int validityDays) throws IOException {
    Path store = fresh(name);
    keytool(
        "-genkeypair",
        "-alias",
        "server",
        "-keyalg",
        "EC",
        "-dname",
        "CN=" + host,
        "-keystore",
        store.toString());
    Path csr = dir.resolve(name + ".csr");
    Path crt = dir.resolve(name + ".crt");
    keytool("-certreq", "-alias", "server", "-keystore", store.toString(), "-file", csr.toString());
    keytool(
        "-gencert",
        "-alias",
        "ca",
        "-keystore",
        store("ca").toString(),
        "-infile",
        csr.toString(),
        "-outfile",
        crt.toString(),
        "-rfc",
        "-ext",
        "san=dns:" + host,
        "-startdate",
        startdate,
        "-validity",
        String.valueOf(validityDays));
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        "ca",
        "-keystore",
        store.toString(),
        "-file",
        caPem().toString());
    keytool(
        "-importcert", "-alias", "server", "-keystore", store.toString(), "-file", crt.toString());
    return store;
  }

  /** A self-signed certificate for {@code host}. */
  Path selfSigned(String name, String host) throws IOException {
    Path store = fresh(name);
    keytool(
        "-genkeypair",
        "-alias",
        "server",
        "-keyalg",
        "EC",
        "-dname",
        "CN=" + host,
        "-ext",
        "san=dns:" + host,
        "-validity",
        "3",
        "-keystore",
        store.toString());
    return store;
  }

  /** SHA-256 of the store's server certificate, lower-case hex. */
  static String sha256(Path store) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(store)) {
      ks.load(in, PASSWORD.toCharArray());
    }
    X509Certificate cert = (X509Certificate) ks.getCertificate("server");
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
  }

  private Path fresh(String name) throws IOException {
    Path store = store(name);
    Files.deleteIfExists(store);
    return store;
  }

  private Path store(String name) {
    return dir.resolve(name + ".p12");
  }

  private static void keytool(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IOException(
            "keytool "
                + String.join(" ", args)
                + " failed: "
                + new String(process.getInputStream().readAllBytes()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }
}
