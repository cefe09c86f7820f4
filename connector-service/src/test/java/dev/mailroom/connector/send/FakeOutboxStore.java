package dev.mailroom.connector.send;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mailroom.events.EventCodec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * sync-service's outbox as the connector reads it (the real one is tested in sync-service), on an
 * HTTP server of its own: the connector's tests run without sync-service. Like sync-service, it
 * answers only a request that carries a bearer token (the connector's own, ADR 0007).
 */
final class FakeOutboxStore {

  /**
   * @param sentMailbox the Sent role the gateway resolved; null as before the account's first sync
   */
  record Queued(String envelopeFrom, List<String> recipients, String sentMailbox, byte[] mime) {}

  static final Map<UUID, Queued> QUEUED = new ConcurrentHashMap<>();

  private static HttpServer server;

  private FakeOutboxStore() {}

  /** The base URL the connector is given, as it would be given sync-service's. */
  static synchronized String url() throws IOException {
    if (server == null) {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext("/internal/accounts/", FakeOutboxStore::handle);
      server.start();
    }
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** {@code /internal/accounts/{account}/outbox/{id}} and {@code .../mime}. */
  private static void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      if (authorization == null
          || !authorization.startsWith("Bearer ")
          || authorization.length() < 20) {
        exchange.sendResponseHeaders(401, -1);
        return;
      }
      String[] parts = exchange.getRequestURI().getPath().split("/");
      // "", internal, accounts, {account}, outbox, {id}[, mime]
      Queued q = parts.length >= 6 ? QUEUED.get(UUID.fromString(parts[5])) : null;
      if (q == null) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      byte[] body;
      if (parts.length == 7 && parts[6].equals("mime")) {
        exchange.getResponseHeaders().add("Content-Type", "message/rfc822");
        body = q.mime();
      } else {
        ObjectNode view =
            JsonNodeFactory.instance
                .objectNode()
                .put("id", parts[5])
                .put("envelopeFrom", q.envelopeFrom())
                .put("state", "queued")
                .put("sentMailbox", q.sentMailbox());
        q.recipients().forEach(view.putArray("recipients")::add);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        body = EventCodec.mapper().writeValueAsBytes(view);
      }
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    }
  }
}
