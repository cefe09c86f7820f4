package dev.mailroom.connector;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A TCP relay to a real server that records every byte each side sent: proof of what went on the
 * wire (the commands, the replies), where the server's own log would need rawlog set up per user.
 */
public final class RecordingProxy implements AutoCloseable {

  private final ServerSocket listener;
  private final ByteArrayOutputStream sent = new ByteArrayOutputStream();
  private final ByteArrayOutputStream received = new ByteArrayOutputStream();

  /** What may run before a chunk the client sent is forwarded, with the chunk's text. */
  public interface ClientChunkHook {
    void beforeForwarding(String chunk);
  }

  private final ClientChunkHook hook;

  public RecordingProxy(String host, int port) throws IOException {
    this(host, port, chunk -> {});
  }

  /**
   * @param hook runs on each chunk the client sent, before it goes to the server (a command line is
   *     sent in one write by Angus and read whole here on loopback)
   */
  public RecordingProxy(String host, int port, ClientChunkHook hook) throws IOException {
    this.hook = hook;
    listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual()
        .start(
            () -> {
              while (!listener.isClosed()) {
                try {
                  Socket client = listener.accept();
                  Socket server = new Socket(host, port);
                  Thread.ofVirtual().start(() -> pipe(client, server, sent));
                  Thread.ofVirtual().start(() -> pipe(server, client, received));
                } catch (IOException e) {
                  return;
                }
              }
            });
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** Everything clients sent so far, as text. */
  public String clientBytes() {
    synchronized (sent) {
      return sent.toString(StandardCharsets.UTF_8);
    }
  }

  /** Everything the server sent so far, as text. */
  public String serverBytes() {
    synchronized (received) {
      return received.toString(StandardCharsets.UTF_8);
    }
  }

  private void pipe(Socket from, Socket to, ByteArrayOutputStream record) {
    byte[] buffer = new byte[8192];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        synchronized (record) {
          record.write(buffer, 0, n);
        }
        if (record == sent) {
          hook.beforeForwarding(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
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
