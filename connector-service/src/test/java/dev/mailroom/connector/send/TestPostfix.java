package dev.mailroom.connector.send;

import dev.mailroom.connector.TestDovecot;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The real Postfix of the test run (deploy/postfix): its ports, a trust for the stack's CA, and
 * stopping and starting it through {@code ./mailroom stop|start postfix} so that the stack's own
 * scripts stay the only thing that runs it.
 */
public final class TestPostfix {

  public static final String HOST = TestDovecot.HOST;
  public static final int SUBMISSION_PORT =
      Integer.parseInt(env("MAILROOM_TEST_SUBMISSION_PORT", "12587"));
  public static final int SUBMISSIONS_PORT =
      Integer.parseInt(env("MAILROOM_TEST_SUBMISSIONS_PORT", "12465"));

  /** The domain whose addresses Postfix delivers into Dovecot (user@mailroom.local). */
  public static final String DOMAIN = "mailroom.local";

  private TestPostfix() {}

  public static String address(String user) {
    return user + "@" + DOMAIN;
  }

  /** Angus SMTP properties for STARTTLS on the submission port, trusting the stack's CA. */
  public static Properties starttls() {
    Properties props = new Properties();
    props.put("mail.smtp.host", HOST);
    props.put("mail.smtp.port", String.valueOf(SUBMISSION_PORT));
    props.put("mail.smtp.auth", "true");
    props.put("mail.smtp.starttls.enable", "true");
    props.put("mail.smtp.starttls.required", "true");
    props.put("mail.smtp.ssl.socketFactory", stackTls());
    props.put("mail.smtp.ssl.checkserveridentity", "true");
    props.put("mail.smtp.connectiontimeout", "10000");
    props.put("mail.smtp.timeout", "20000");
    return props;
  }

  public static SSLSocketFactory stackTls() {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      try (InputStream in =
          Files.newInputStream(Path.of(env("MAILROOM_TEST_TLS_CA", ".mailroom/test/tls/ca.pem")))) {
        int n = 0;
        for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
          store.setCertificateEntry("ca-" + n++, (X509Certificate) cert);
        }
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context.getSocketFactory();
    } catch (Exception e) {
      throw new IllegalStateException("cannot trust the stack's CA", e);
    }
  }

  public static void stop() throws IOException, InterruptedException {
    mailroom("stop");
  }

  public static void start() throws IOException, InterruptedException {
    mailroom("start");
  }

  private static void mailroom(String verb) throws IOException, InterruptedException {
    String root = env("MAILROOM_TEST_ROOT", "..");
    ProcessBuilder pb =
        new ProcessBuilder(root + "/mailroom", verb, "postfix").redirectErrorStream(true);
    pb.environment().put("MAILROOM_HOME", env("MAILROOM_TEST_HOME", root + "/.mailroom/test"));
    pb.environment().put("MAILROOM_PORT_OFFSET", env("MAILROOM_TEST_PORT_OFFSET", "1000"));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IOException("./mailroom " + verb + " postfix failed: " + out);
    }
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}
