package dev.mailroom.connector.tls;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A scriptless IMAP greeter for what a real server will not do on request: present a given
 * certificate (the check happens before IMAP matters), or not offer STARTTLS. It greets, answers
 * CAPABILITY without STARTTLS, and refuses every LOGIN.
 */
final class FakeTlsImapServer implements AutoCloseable {

  private final ServerSocket server;
  private final Thread acceptor;

  private FakeTlsImapServer(ServerSocket server) {
    this.server = server;
    this.acceptor = Thread.ofVirtual().start(this::accept);
  }

  /** Speaks IMAP over TLS with the server certificate in {@code keyStore}. */
  static FakeTlsImapServer tls(Path keyStore) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(keyStore)) {
      ks.load(in, TlsTestCertificates.PASSWORD.toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, TlsTestCertificates.PASSWORD.toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), null, null);
    return new FakeTlsImapServer(
        context
            .getServerSocketFactory()
            .createServerSocket(0, 50, InetAddress.getLoopbackAddress()));
  }

  /**
   * Speaks IMAP in clear and never offers STARTTLS, as a stripping middlebox would make it look.
   */
  static FakeTlsImapServer plainWithoutStarttls() throws IOException {
    return new FakeTlsImapServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
  }

  int port() {
    return server.getLocalPort();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        Thread.ofVirtual().start(() -> serve(socket));
      } catch (IOException e) {
        return;
      }
    }
  }

  private static void serve(Socket socket) {
    try (socket) {
      OutputStream out = socket.getOutputStream();
      var in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      write(out, "* OK IMAP4rev1 ready");
      for (String line; (line = in.readLine()) != null; ) {
        String[] words = line.split(" ", 3);
        String tag = words[0];
        String command = words.length > 1 ? words[1].toUpperCase() : "";
        switch (command) {
          case "CAPABILITY" ->
              write(out, "* CAPABILITY IMAP4rev1\r\n" + tag + " OK CAPABILITY completed");
          case "LOGIN" -> write(out, tag + " NO [AUTHENTICATIONFAILED] Authentication failed.");
          case "LOGOUT" -> {
            write(out, "* BYE\r\n" + tag + " OK LOGOUT completed");
            return;
          }
          default -> write(out, tag + " BAD unknown command");
        }
      }
    } catch (IOException e) {
      // The client hung up, or refused our certificate: that is what the tests are about.
    }
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  @Override
  public void close() throws IOException {
    server.close();
    acceptor.interrupt();
  }
}
