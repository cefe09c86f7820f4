package dev.mailroom.gateway.message;

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
 * sync-service's internal API for one message, one conversation and the change log (same service
 * and URL as {@link dev.mailroom.gateway.sync.SyncServiceClient}: {@code
 * quarkus.rest-client.sync}). Callers check ownership of the account first.
 */
// The gateway's own service token (client credentials), never the user's: ADR 0007.
@OidcClientFilter
@RegisterRestClient(configKey = "sync")
@Path("/internal/accounts")
@Produces(MediaType.APPLICATION_JSON)
public interface SyncMessagesClient {

  /**
   * One message with bodies, attachments and locations; 404 when the account has no such message.
   */
  @GET
  @Path("/{accountId}/messages/{identity}")
  JsonNode message(
      @PathParam("accountId") String accountId, @PathParam("identity") String identity);

  /** Every message of one thread, oldest first; 404 when there is none. */
  @GET
  @Path("/{accountId}/conversations/{threadId}")
  JsonNode conversation(
      @PathParam("accountId") String accountId, @PathParam("threadId") String threadId);

  /**
   * What changed after {@code after}: {@code {"changes": [{seq, kind, mailbox, uidValidity, uid,
   * id, at}], "cursor": n}}; with {@code wait} seconds it answers as soon as there is a change.
   */
  @GET
  @Path("/{accountId}/changes")
  JsonNode changes(
      @PathParam("accountId") String accountId,
      @QueryParam("after") long after,
      @QueryParam("limit") int limit,
      @QueryParam("wait") int waitSeconds);

  /** Where the account's change log ends now: {@code {"cursor": n}}. */
  @GET
  @Path("/{accountId}/changes/head")
  JsonNode head(@PathParam("accountId") String accountId);
}
