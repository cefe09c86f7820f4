import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The TCP proxy between the connector and the server under test: counts the bytes both ways and the
 * commands the connector sends, by name (the tag left out; {@code UID FETCH} and the like by their
 * second word).
 */
final class CountingProxy {

  /** Bytes from the server to the connector. */
  final AtomicLong down = new AtomicLong();

  /** Bytes from the connector to the server. */
  final AtomicLong up = new AtomicLong();

  private final Map<String, LongAdder> commands = new ConcurrentHashMap<>();

  /** Relays every connection {@code proxy} accepts to {@code host:port}, until it is closed. */
  void accept(ServerSocket proxy, String host, int port) {
    while (true) {
      try {
        Socket client = proxy.accept();
        Socket server = new Socket(host, port);
        Thread.ofVirtual().start(() -> pipe(server, client, down, false));
        Thread.ofVirtual().start(() -> pipe(client, server, up, true));
      } catch (Exception e) {
        return;
      }
    }
  }

  /** Copies one direction; from the client, each line is counted by its command (tag left out). */
  private void pipe(Socket from, Socket to, AtomicLong counter, boolean fromClient) {
    byte[] buffer = new byte[65536];
    StringBuilder line = new StringBuilder();
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        out.write(buffer, 0, n);
        counter.addAndGet(n);
        if (fromClient) {
          for (int i = 0; i < n; i++) {
            if (buffer[i] == '\n') {
              count(line.toString().trim());
              line.setLength(0);
            } else if (line.length() < 200) {
              line.append((char) (buffer[i] & 0xff));
            }
          }
        }
      }
    } catch (Exception e) {
      // one side went away
    } finally {
      try {
        from.close();
        to.close();
      } catch (Exception ignored) {
        // closed already
      }
    }
  }

  private void count(String line) {
    String[] words = line.split(" ");
    String name =
        words.length == 1
            ? words[0] // DONE
            : words.length > 2 && words[1].equalsIgnoreCase("UID") ? "UID " + words[2] : words[1];
    commands.computeIfAbsent(name.toUpperCase(), k -> new LongAdder()).increment();
  }

  Map<String, Long> snapshot() {
    Map<String, Long> out = new TreeMap<>();
    commands.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /** What {@code after} counts above {@code before}. */
  static Map<String, Long> minus(Map<String, Long> after, Map<String, Long> before) {
    Map<String, Long> out = new TreeMap<>();
    after.forEach(
        (k, v) -> {
          long d = v - before.getOrDefault(k, 0L);
          if (d > 0) {
            out.put(k, d);
          }
        });
    return out;
  }
}
