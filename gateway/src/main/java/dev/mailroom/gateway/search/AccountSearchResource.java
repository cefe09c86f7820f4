package dev.mailroom.gateway.search;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailroom.gateway.problem.Problem;
import dev.mailroom.gateway.sync.AccountJson;
import dev.mailroom.gateway.sync.MessageStore;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Search in one of the caller's accounts (search-service routes each account by what its server can
 * do; the query grammar is search-service/docs/query.md). The owner is checked here, before
 * search-service is asked, exactly as for every other read. A root resource of its own: JAX-RS
 * picks one root class per path, and this longer literal path wins over AccountResource's.
 */
@Path("/api/accounts/{id}/search")
@RolesAllowed({"user", "admin"})
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "search", description = "Search with the route each server allows")
@APIResponse(responseCode = "401", description = "No valid bearer token")
@APIResponse(
    responseCode = "400",
    description = "The query is empty, too long, or names an unknown field; detail" + " says which",
    content =
        @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(
    responseCode = "503",
    description = "search-service or the message store is not reachable; retry",
    content =
        @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class AccountSearchResource {

  private static final String Q =
      "The query: words, \"phrases\", from: to: cc: subject: has:attachment is:unread"
          + " is:flagged before:yyyy-MM-dd after:yyyy-MM-dd in:mailbox, -term to negate";

  @Inject dev.mailroom.gateway.limit.UserLimits limits;
  private final JsonWebToken token;
  private final MessageStore store;
  private final SearchServiceClient search;

  @Inject
  public AccountSearchResource(
      JsonWebToken token, MessageStore store, @RestClient SearchServiceClient search) {
    this.token = token;
    this.store = store;
    this.search = search;
  }

  @GET
  @Operation(
      summary = "Search one account",
      description =
          "Answers with the route taken (server-fuzzy, server,"
              + " local), whether the answer is partial, relevancy where the server gave it, and the time taken.")
  @APIResponse(
      responseCode = "200",
      description = "One page of matches",
      content = @Content(schema = @Schema(implementation = SearchView.Account.class)))
  @APIResponse(responseCode = "404", description = "No such account among the caller's")
  public JsonNode account(
      @PathParam("id") String id,
      @Parameter(description = Q, required = true) @QueryParam("q") String q,
      @Parameter(description = "Only this mailbox (same as in:)") @QueryParam("mailbox")
          String mailbox,
      @Parameter(description = "1..100, default 25") @QueryParam("limit") Integer limit,
      @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor")
          String cursor) {
    limits.search(SearchCalls.owner(token)); // 429 with Retry-After past the per-user limit
    String accountId = AccountJson.idOf(store.account(id, SearchCalls.owner(token)));
    return SearchCalls.call(() -> search.account(accountId, q, mailbox, limit, cursor));
  }
}
