package dev.mailroom.gateway.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.oidc.client.filter.OidcClientFilter;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** sync-service's internal API for commands (same service and URL as {@code SyncServiceClient}). */
// The gateway's own service token (client credentials), never the user's: ADR 0007.
@OidcClientFilter
@RegisterRestClient(configKey = "sync")
@Path("/internal/accounts/{id}")
@Produces(MediaType.APPLICATION_JSON)
public interface CommandStoreClient {

  /**
   * Where messages are now: {@code {"located": {id: [{mailbox, uidValidity, uid, flags, modSeq,
   * pending}]}, "unknown": [...], "gone": [...]}}.
   */
  @POST
  @Path("/messages/locate")
  @Consumes(MediaType.APPLICATION_JSON)
  JsonNode locate(@PathParam("id") String accountId, JsonNode request);

  /** {@code {"roles": {role: {path, source, guessed} | null}, "unmapped": [...]}}. */
  @GET
  @Path("/roles")
  JsonNode roles(@PathParam("id") String accountId);

  /** Sets the owner's mapping; 422 when a role or a path is not one the account has. */
  @jakarta.ws.rs.PUT
  @Path("/roles")
  @Consumes(MediaType.APPLICATION_JSON)
  JsonNode mapRoles(@PathParam("id") String accountId, JsonNode mapping);

  /** The account's mailboxes, with their paths. */
  @GET
  @Path("/mailboxes")
  JsonNode mailboxes(@PathParam("id") String accountId);

  /** A command's status; 404 when the store does not know it (yet). */
  @GET
  @Path("/commands/{commandId}")
  JsonNode command(@PathParam("id") String accountId, @PathParam("commandId") String commandId);
}
