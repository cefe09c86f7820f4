package dev.mailroom.gateway.search;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.oidc.client.filter.OidcClientFilter;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * search-service's internal API. It trusts the account ids it is given: the gateway checks the
 * owner first. URL: {@code quarkus.rest-client.search.url}.
 */
// The gateway's own service token (client credentials), never the user's: ADR 0007.
@OidcClientFilter
@RegisterRestClient(configKey = "search")
@Path("/internal/search")
@Produces(MediaType.APPLICATION_JSON)
public interface SearchServiceClient {

  /** One account: {@code {accountId, route, partial, notes, results, nextCursor, tookMillis}}. */
  @GET
  @Path("/accounts/{id}")
  JsonNode account(
      @PathParam("id") String accountId,
      @QueryParam("q") String q,
      @QueryParam("mailbox") String mailbox,
      @QueryParam("limit") Integer limit,
      @QueryParam("cursor") String cursor);

  /** Several accounts, first page each: {@code {query, accounts: [...], tookMillis}}. */
  @GET
  JsonNode accounts(
      @QueryParam("q") String q,
      @QueryParam("account") List<String> accounts,
      @QueryParam("limit") Integer limit);
}
