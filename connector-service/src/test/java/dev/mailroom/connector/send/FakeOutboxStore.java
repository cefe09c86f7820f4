package dev.mailroom.connector.send;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * sync-service's outbox as the connector reads it (the real one is tested in sync-service), served
 * from this test app: the connector's tests run without sync-service.
 */
@Path("/fake-sync/internal/accounts/{account}/outbox/{id}")
public class FakeOutboxStore {

  record Queued(String envelopeFrom, List<String> recipients, byte[] mime) {}

  static final Map<UUID, Queued> QUEUED = new ConcurrentHashMap<>();

  @GET
  @Produces("application/json")
  public Response view(@PathParam("id") UUID id) {
    Queued q = QUEUED.get(id);
    if (q == null) {
      return Response.status(404).build();
    }
    ObjectNode view =
        JsonNodeFactory.instance
            .objectNode()
            .put("id", id.toString())
            .put("envelopeFrom", q.envelopeFrom())
            .put("state", "queued");
    q.recipients().forEach(view.putArray("recipients")::add);
    return Response.ok(view).build();
  }

  @GET
  @Path("/mime")
  @Produces("message/rfc822")
  public Response mime(@PathParam("id") UUID id) {
    Queued q = QUEUED.get(id);
    return q == null ? Response.status(404).build() : Response.ok(q.mime()).build();
  }
}
