package dev.mailroom.gateway.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.mailroom.gateway.problem.Problem;
import dev.mailroom.gateway.sync.AccountJson;
import dev.mailroom.gateway.sync.MessageStore;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Search across all of the caller's accounts (search-service routes each account by what its server
 * can do; the query grammar is search-service/docs/query.md). The owner is checked here, before
 * search-service is asked, exactly as for every other read.
 */
@Path("/api/search")
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
public class SearchResource {

  private static final String Q =
      "The query: words, \"phrases\", from: to: cc: subject: has:attachment is:unread"
          + " is:flagged before:yyyy-MM-dd after:yyyy-MM-dd in:mailbox, -term to negate";

  @Inject dev.mailroom.gateway.limit.UserLimits limits;
  private final JsonWebToken token;
  private final MessageStore store;
  private final SearchServiceClient search;

  @Inject
  public SearchResource(
      JsonWebToken token, MessageStore store, @RestClient SearchServiceClient search) {
    this.token = token;
    this.store = store;
    this.search = search;
  }

  @GET
  @Operation(
      summary = "Search every account of the caller",
      description =
          "Each account is searched on its own"
              + " route at the same time; a slow server delays only its own part, which is then partial.")
  @APIResponse(
      responseCode = "200",
      description = "The first page of each account",
      content = @Content(schema = @Schema(implementation = SearchView.Multi.class)))
  public JsonNode all(
      @Parameter(description = Q, required = true) @QueryParam("q") String q,
      @Parameter(description = "1..100 per account, default 25") @QueryParam("limit")
          Integer limit) {
    limits.search(SearchCalls.owner(token)); // 429 with Retry-After past the per-user limit
    ArrayNode accounts = store.accountsOf(SearchCalls.owner(token));
    List<String> ids = new ArrayList<>();
    accounts.forEach(a -> ids.add(AccountJson.idOf(a)));
    if (ids.isEmpty()) {
      // Still parse the query, so a bad one is a 400 whether or not the caller has accounts.
      return SearchCalls.call(() -> search.accounts(q, List.of(), limit));
    }
    return SearchCalls.call(() -> search.accounts(q, ids, limit));
  }
}
