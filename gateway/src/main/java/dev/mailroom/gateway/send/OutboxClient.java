package dev.mailroom.gateway.send;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.oidc.client.filter.OidcClientFilter;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * sync-service's outbox and the stored message a reply refers to (ADR 0006). Same service and URL
 * as {@link dev.mailroom.gateway.sync.SyncServiceClient} ({@code quarkus.rest-client.sync.url}).
 */
// The gateway's own service token (client credentials), never the user's: ADR 0007.
@OidcClientFilter
@RegisterRestClient(configKey = "sync")
@Path("/internal/accounts")
@Produces(MediaType.APPLICATION_JSON)
public interface OutboxClient {

  /** One stored message by its id: {@code {messageId, references, subject, ...}}; 404 when none. */
  @GET
  @Path("/{id}/messages/{identity}")
  JsonNode message(@PathParam("id") String accountId, @PathParam("identity") String identity);

  /**
   * The account's mailboxes with their roles: {@code [{path, role, ...}]}; 404 before its first
   * sync.
   */
  @GET
  @Path("/{id}/mailboxes")
  JsonNode mailboxes(@PathParam("id") String accountId);

  /**
   * The account's roles as the owner's mapping, SPECIAL-USE and well-known names resolve them:
   * {@code {"roles": {role: {path, source, guessed} | null}, "unmapped": [...]}}.
   */
  @GET
  @Path("/{id}/roles")
  JsonNode roles(@PathParam("id") String accountId);

  /** Queues a message in the outbox: 201 when new, 200 with the first one for a known key. */
  @POST
  @Path("/{id}/outbox")
  @Consumes(MediaType.APPLICATION_JSON)
  Response queue(@PathParam("id") String accountId, JsonNode request);

  /** The account's latest outbox messages, newest first. */
  @GET
  @Path("/{id}/outbox")
  JsonNode outbox(@PathParam("id") String accountId);

  /** One outbox message's state; 404 when none. */
  @GET
  @Path("/{id}/outbox/{outboxId}")
  JsonNode outboxMessage(@PathParam("id") String accountId, @PathParam("outboxId") String outboxId);
}
