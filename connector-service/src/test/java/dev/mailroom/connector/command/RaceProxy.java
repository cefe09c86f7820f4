package dev.mailroom.connector.command;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TCP relay to the real Dovecot that, the first time the client sends a line containing {@code
 * trigger}, holds that line back, runs {@code meanwhile} (another client's change) and only then
 * forwards it: a concurrent change placed exactly between a command's read and its write, which no
 * timing on a real connection can promise.
 */
final class RaceProxy implements AutoCloseable {

  interface Change {
    void run() throws Exception;
  }

  private final ServerSocket listener;
  private final String trigger;
  private final Change meanwhile;
  private final AtomicBoolean fired = new AtomicBoolean();

  RaceProxy(String host, int port, String trigger, Change meanwhile) throws IOException {
    this.trigger = trigger;
    this.meanwhile = meanwhile;
    listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual()
        .start(
            () -> {
              while (!listener.isClosed()) {
                try {
                  Socket client = listener.accept();
                  Socket server = new Socket(host, port);
                  Thread.ofVirtual().start(() -> pipe(client, server, true));
                  Thread.ofVirtual().start(() -> pipe(server, client, false));
                } catch (IOException e) {
                  return;
                }
              }
            });
  }

  int port() {
    return listener.getLocalPort();
  }

  /** Whether the trigger was seen and the change made. */
  boolean fired() {
    return fired.get();
  }

  private void pipe(Socket from, Socket to, boolean watch) {
    byte[] buffer = new byte[8192];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        // A command line is sent in one write by Angus and read whole here on loopback.
        if (watch
            && new String(buffer, 0, n, StandardCharsets.ISO_8859_1).contains(trigger)
            && fired.compareAndSet(false, true)) {
          try {
            meanwhile.run();
          } catch (Exception e) {
            throw new IllegalStateException("the concurrent change failed", e);
          }
        }
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException closed) {
      // either side hung up
    } finally {
      try {
        from.close();
        to.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}
