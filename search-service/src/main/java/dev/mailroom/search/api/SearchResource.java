package dev.mailroom.search.api;

import dev.mailroom.events.model.AccountId;
import dev.mailroom.search.query.QueryException;
import dev.mailroom.search.query.QueryParser;
import dev.mailroom.search.query.SearchQuery;
import dev.mailroom.search.routing.AccountAnswer;
import dev.mailroom.search.routing.SearchRouter;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * search-service's internal API, called by the gateway after its owner check: this service trusts
 * the account ids it is given and never decides who may see what.
 */
@Path("/internal/search")
@Produces(MediaType.APPLICATION_JSON)
public class SearchResource {

  static final int DEFAULT_LIMIT = 25;
  static final int MAX_LIMIT = 100;
  static final int MAX_ACCOUNTS = 50;

  /** The answer for several accounts: one part per account, each with its route. */
  public record MultiAnswer(String query, List<AccountAnswer> accounts, long tookMillis) {}

  private final SearchRouter router;

  SearchResource(SearchRouter router) {
    this.router = router;
  }

  @GET
  @Path("/accounts/{accountId}")
  public AccountAnswer account(
      @PathParam("accountId") String accountId,
      @QueryParam("q") String q,
      @QueryParam("mailbox") String mailbox,
      @QueryParam("limit") Integer limit,
      @QueryParam("cursor") String cursor)
      throws SQLException {
    return router.search(account(accountId), query(q, mailbox), limit(limit), cursor);
  }

  /** Every given account at once, first page each; a slow server delays only its own part. */
  @GET
  public MultiAnswer accounts(
      @QueryParam("q") String q,
      @QueryParam("account") List<String> accounts,
      @QueryParam("limit") Integer limit) {
    long start = System.nanoTime();
    SearchQuery query = query(q, null);
    if (accounts == null) {
      accounts = List.of(); // a user without accounts: the query is still checked
    }
    if (accounts.size() > MAX_ACCOUNTS) {
      throw new QueryException("at most " + MAX_ACCOUNTS + " accounts per search");
    }
    int perAccount = limit(limit);
    List<CompletableFuture<AccountAnswer>> parts = new ArrayList<>();
    for (String id : new LinkedHashSet<>(accounts)) {
      parts.add(router.searchAsync(account(id), query, perAccount));
    }
    List<AccountAnswer> answers = parts.stream().map(CompletableFuture::join).toList();
    return new MultiAnswer(q, answers, (System.nanoTime() - start) / 1_000_000);
  }

  private static AccountId account(String id) {
    try {
      return AccountId.of(id);
    } catch (IllegalArgumentException e) {
      throw new QueryException(e.getMessage());
    }
  }

  static SearchQuery query(String q, String mailbox) {
    SearchQuery query = QueryParser.parse(q);
    if (mailbox == null || mailbox.isBlank()) {
      return query;
    }
    if (query.mailbox() != null && !query.mailbox().equals(mailbox)) {
      throw new QueryException(
          "mailbox=" + mailbox + " and in:" + query.mailbox() + " disagree; give one of them");
    }
    return new SearchQuery(query.terms(), mailbox);
  }

  static int limit(Integer limit) {
    if (limit == null) {
      return DEFAULT_LIMIT;
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new QueryException("limit must be between 1 and " + MAX_LIMIT + ", not " + limit);
    }
    return limit;
  }
}
