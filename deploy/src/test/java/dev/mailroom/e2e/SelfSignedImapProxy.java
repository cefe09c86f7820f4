package dev.mailroom.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * An IMAP server with a self-signed certificate, as a person's own server would have one: TLS with
 * a key made here by the JDK's keytool, relayed byte for byte to the stack's Dovecot (plain port;
 * Dovecot treats a connection from the same host as secured). What the connector sees is the
 * certificate; what it talks to is the real Dovecot.
 */
final class SelfSignedImapProxy implements AutoCloseable {

  private static final char[] PASSWORD = "changeit".toCharArray();

  /** SHA-256 of the certificate, lower-case hex. */
  final String sha256;

  final int port;
  private final ServerSocket server;
  private final String targetHost;
  private final int targetPort;

  SelfSignedImapProxy(Path dir, int port, String targetHost, int targetPort) throws Exception {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    Path store = Files.createDirectories(dir).resolve("self-signed.p12");
    Files.deleteIfExists(store);
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "EC",
                "-dname",
                "CN=localhost",
                "-ext",
                "san=dns:localhost,ip:127.0.0.1",
                "-validity",
                "3",
                "-storetype",
                "PKCS12",
                "-storepass",
                "changeit",
                "-keystore",
                store.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(keytool.getInputStream().readAllBytes());
    if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
      throw new IOException("keytool failed: " + output);
    }
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(store)) {
      keys.load(in, PASSWORD);
    }
    sha256 =
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256")
                    .digest(keys.getCertificate("server").getEncoded()));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, PASSWORD);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), null, null);
    server =
        tls.getServerSocketFactory().createServerSocket(port, 50, InetAddress.getLoopbackAddress());
    this.port = server.getLocalPort();
    Thread.ofPlatform().daemon().name("self-signed-imap").start(this::accept);
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Thread.ofPlatform().daemon().start(() -> relay(client));
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void relay(Socket client) {
    try (client;
        Socket upstream = new Socket(targetHost, targetPort)) {
      Thread back =
          Thread.ofPlatform()
              .daemon()
              .start(
                  () -> {
                    try {
                      upstream.getInputStream().transferTo(client.getOutputStream());
                    } catch (IOException ignored) {
                      // either side closed
                    }
                    closeQuietly(client);
                  });
      try {
        client.getInputStream().transferTo(upstream.getOutputStream());
      } finally {
        closeQuietly(upstream);
        back.join(5000);
      }
    } catch (IOException | InterruptedException ignored) {
      // a failed handshake (a client that refused the certificate) or a closed connection
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
