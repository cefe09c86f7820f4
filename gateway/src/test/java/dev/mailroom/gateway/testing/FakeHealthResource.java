package dev.mailroom.gateway.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Answers as health-service's internal API would, from the states the test puts here. */
@Path("/fake-health/internal/accounts/{id}")
@Produces(MediaType.APPLICATION_JSON)
public class FakeHealthResource {

  public static final Map<String, ObjectNode> HEALTH = new ConcurrentHashMap<>();

  @GET
  @Path("/health")
  public Response health(@PathParam("id") String id) {
    ObjectNode h = HEALTH.get(id);
    return h == null ? Response.status(404).build() : Response.ok(h).build();
  }

  @POST
  @Path("/reconnect")
  public Response reconnect(@PathParam("id") String id) {
    ObjectNode h = HEALTH.get(id);
    if (h == null || !"disconnected".equals(h.path("state").asText())) {
      return Response.status(409).entity(Map.of("detail", "not disconnected")).build();
    }
    h.put("state", "reconnecting");
    return Response.accepted(h).build();
  }
}
