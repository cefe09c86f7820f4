import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * run.sh's stand-in for sync-service when the gateway is measured: what the gateway asks of the
 * store before a download, nothing else. Every account is owned by the subject given; message
 * {@code m-<uidValidity>-<uid>} lies in INBOX at that UIDVALIDITY and UID and has part 2 as its
 * attachment. Prints its port.
 *
 * <p>Arguments: ownerSubject.
 */
public class FakeSync {
  private static final Pattern ACCOUNT = Pattern.compile("/internal/accounts/([0-9a-f-]{36})");
  private static final Pattern MESSAGE =
      Pattern.compile("/internal/accounts/[0-9a-f-]{36}/messages/m-([0-9]+)-([0-9]+)");

  public static void main(String[] a) throws Exception {
    String owner = a[0];
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          Matcher account = ACCOUNT.matcher(path);
          Matcher message = MESSAGE.matcher(path);
          String body = null;
          if (account.matches()) {
            body = "{\"id\":\"" + account.group(1) + "\",\"ownerId\":\"" + owner + "\"}";
          } else if (message.matches()) {
            body =
                "{\"id\":\"m\",\"attachments\":[{\"part\":\"2\",\"filename\":\"bench.bin\","
                    + "\"contentType\":\"application/octet-stream\"}],\"locations\":[{\"mailbox\":"
                    + "\"INBOX\",\"uidValidity\":"
                    + message.group(1)
                    + ",\"uid\":"
                    + message.group(2)
                    + "}]}";
          }
          byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
    System.out.println("port " + server.getAddress().getPort());
  }
}
