package dev.mailroom.gateway.sync;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.oidc.client.filter.OidcClientFilter;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * sync-service's internal API (not public: the gateway is the only way in). Answers are kept as
 * JSON trees and passed through, so a field sync-service adds reaches clients without a gateway
 * release. URL: {@code quarkus.rest-client.sync.url}.
 */
// The gateway's own service token (client credentials), never the user's: ADR 0007.
@OidcClientFilter
@RegisterRestClient(configKey = "sync")
@Path("/internal/accounts")
@Produces(MediaType.APPLICATION_JSON)
public interface SyncServiceClient {

  /** The accounts of one owner: a JSON array of accounts, each with {@code ownerId}. */
  @GET
  JsonNode accountsOf(@QueryParam("owner") String ownerId);

  /** One account with its {@code ownerId}; 404 when it does not exist. */
  @GET
  @Path("/{id}")
  JsonNode account(@PathParam("id") String accountId);

  /** The account's mailboxes: {@code [{path, role, total, unread, uidValidity, uidNext, ...}]}. */
  @GET
  @Path("/{id}/mailboxes")
  JsonNode mailboxes(@PathParam("id") String accountId);

  /** One page of a mailbox: {@code {"items": [...], "nextCursor": "..." | null}}. */
  @GET
  @Path("/{id}/messages")
  JsonNode messages(
      @PathParam("id") String accountId,
      @QueryParam("mailbox") String mailbox,
      @QueryParam("limit") int limit,
      @QueryParam("cursor") String cursor);
}
