package dev.mailroom.gateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * sync-service's command endpoints as the gateway's tests need them (see {@link FakeSyncResource}).
 */
public final class FakeCommandStoreResource {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** Locations by message id, as sync-service's locate answers for each. */
  public static final Map<String, JsonNode> LOCATIONS = new ConcurrentHashMap<>();

  /** Message ids whose mailbox was reset: answered as gone. */
  public static final Set<String> GONE = ConcurrentHashMap.newKeySet();

  /** Message ids the store held and that were expunged: answered as expunged. */
  public static final Set<String> EXPUNGED = ConcurrentHashMap.newKeySet();

  /** Roles answers by account id, as sync-service's GET .../roles. */
  public static final Map<String, JsonNode> ROLES = new ConcurrentHashMap<>();

  /** The last mapping PUT per account. */
  public static final Map<String, JsonNode> MAPPED = new ConcurrentHashMap<>();

  /** Commands the store has recorded, by command id. */
  public static final Map<String, ObjectNode> COMMANDS = new ConcurrentHashMap<>();

  private FakeCommandStoreResource() {}

  public static void locate(
      String messageId, String mailbox, long uidValidity, long uid, long modSeq, String... flags) {
    ObjectNode at =
        JSON.objectNode()
            .put("mailbox", mailbox)
            .put("uidValidity", uidValidity)
            .put("uid", uid)
            .put("modSeq", modSeq)
            .put("pending", false);
    var list = at.putArray("flags");
    for (String f : flags) {
      list.add(f);
    }
    LOCATIONS.put(messageId, JSON.arrayNode().add(at));
  }

  @Path("/fake-sync/internal/accounts/{id}/messages/locate")
  public static class Locate {
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public JsonNode locate(@PathParam("id") String id, JsonNode request) {
      ObjectNode out = JSON.objectNode();
      ObjectNode located = out.putObject("located");
      var unknown = out.putArray("unknown");
      var gone = out.putArray("gone");
      var expunged = out.putArray("expunged");
      for (JsonNode messageId : request.path("ids")) {
        String m = messageId.asText();
        if (EXPUNGED.contains(m)) {
          expunged.add(m);
        } else if (GONE.contains(m)) {
          gone.add(m);
        } else if (LOCATIONS.containsKey(m)) {
          located.set(m, LOCATIONS.get(m));
        } else {
          unknown.add(m);
        }
      }
      return out;
    }
  }

  @Path("/fake-sync/internal/accounts/{id}/roles")
  public static class Roles {
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public JsonNode get(@PathParam("id") String id) {
      return ROLES.getOrDefault(id, JSON.objectNode());
    }

    @jakarta.ws.rs.PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response put(@PathParam("id") String id, JsonNode mapping) {
      if (mapping.has("nonsense")) {
        return Response.status(422)
            .type("application/problem+json")
            .entity(JSON.objectNode().put("detail", "'nonsense' is not a role"))
            .build();
      }
      MAPPED.put(id, mapping);
      return Response.ok(ROLES.getOrDefault(id, JSON.objectNode())).build();
    }
  }

  @Path("/fake-sync/internal/accounts/{id}/commands/{commandId}")
  public static class Commands {
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response command(@PathParam("id") String id, @PathParam("commandId") String commandId) {
      ObjectNode c = COMMANDS.get(commandId);
      return c == null ? Response.status(404).build() : Response.ok(c).build();
    }
  }
}
