package dev.mailroom.search.routing;

import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.search.SearchReplied;
import dev.mailroom.search.index.LocalHit;
import dev.mailroom.search.index.LocalSearch;
import dev.mailroom.search.query.SearchQuery;
import dev.mailroom.search.routing.AccountAnswer.Result;
import dev.mailroom.search.server.RateLimiter;
import dev.mailroom.search.server.ServerSearches;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Chooses each account's route and puts its answer together (docs/adr/0009):
 *
 * <pre>
 *   SEARCH=FUZZY advertised ─► server-fuzzy (connector, FUZZY + RELEVANCY) ─┐
 *                                 │ no reply by the deadline, or rate-limited │
 *                                 ▼                                           ▼
 *   otherwise ───────────────► local index ◄── mailbox not fully synced: the server is asked
 *                                              too (plain SEARCH), route "server", partial
 * </pre>
 */
@ApplicationScoped
public class SearchRouter {

  /** Most matches asked of a server: pages beyond it end the list. */
  static final int SERVER_CAP = 1000;

  /** One virtual thread per account of a search across accounts: each waits on its own server. */
  private static final java.util.concurrent.Executor ACCOUNTS =
      java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

  private final LocalSearch local;
  private final ServerSearches server;
  private final RateLimiter rateLimiter;
  private final Duration deadline;

  SearchRouter(
      LocalSearch local,
      ServerSearches server,
      @ConfigProperty(name = "mailroom.search.server-deadline", defaultValue = "2s")
          Duration deadline,
      @ConfigProperty(name = "mailroom.search.server-per-minute", defaultValue = "30")
          int perMinute,
      @ConfigProperty(name = "mailroom.search.server-burst", defaultValue = "10") int burst) {
    this.local = local;
    this.server = server;
    this.deadline = deadline;
    this.rateLimiter = new RateLimiter(perMinute, burst, Clock.systemUTC());
  }

  public AccountAnswer search(AccountId account, SearchQuery query, int limit, String cursor)
      throws SQLException {
    long start = System.nanoTime();
    int offset = PageCursor.offset(cursor);
    SearchRoute route = SearchRoute.forCapabilities(local.capabilities(account));
    boolean behind = local.behind(account, query.mailbox());
    List<String> notes = new ArrayList<>();
    if (route == SearchRoute.SERVER_FUZZY || behind) {
      boolean fuzzy = route == SearchRoute.SERVER_FUZZY;
      if (behind) {
        notes.add(
            query.mailbox() == null
                ? "a mailbox of the account is not fully synced yet"
                : "mailbox " + query.mailbox() + " is not fully synced yet");
      }
      if (offset + limit > SERVER_CAP) {
        return answer(
            account,
            fuzzy ? SearchRoute.SERVER_FUZZY : SearchRoute.SERVER,
            true,
            List.of("a server search returns at most " + SERVER_CAP + " matches"),
            List.of(),
            null,
            start);
      }
      if (!rateLimiter.tryAcquire(account)) {
        notes.add(
            "server searches for this account are over their rate limit: answered from the local index");
      } else {
        try {
          SearchReplied reply =
              server
                  .ask(account, query, fuzzy, Math.min(SERVER_CAP, offset + limit + 1), deadline)
                  .get();
          if (reply.error() == null) {
            return fromServer(account, reply, fuzzy, behind, notes, offset, limit, start);
          }
          notes.add("the server search failed: " + reply.error());
        } catch (ExecutionException e) {
          notes.add(
              e.getCause() instanceof TimeoutException
                  ? "the server did not answer within "
                      + deadline.toMillis()
                      + " ms: answered from the local index"
                  : "the server could not be asked: answered from the local index");
          if (!(e.getCause() instanceof TimeoutException)) {
            Log.warnf("server search for %s failed: %s", account, e.getCause().toString());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          notes.add("interrupted: answered from the local index");
        }
      }
    }
    List<LocalHit> hits = local.search(account, query, offset, limit + 1);
    boolean more = hits.size() > limit;
    List<Result> results =
        hits.stream()
            .limit(limit)
            .map(h -> result(h, h.mailbox(), h.uidValidity(), h.uid(), null))
            .toList();
    return answer(
        account,
        SearchRoute.LOCAL,
        !notes.isEmpty(),
        notes,
        results,
        more ? PageCursor.of(offset + limit) : null,
        start);
  }

  private AccountAnswer fromServer(
      AccountId account,
      SearchReplied reply,
      boolean fuzzy,
      boolean behind,
      List<String> notes,
      int offset,
      int limit,
      long start)
      throws SQLException {
    List<SearchReplied.Hit> all = reply.hits();
    List<SearchReplied.Hit> page =
        all.subList(Math.min(offset, all.size()), Math.min(offset + limit, all.size()));
    List<String> mailboxes = page.stream().map(h -> h.mailbox().value()).toList();
    Map<String, LocalHit> stored =
        local.locate(
            account,
            mailboxes,
            page.stream().mapToLong(h -> h.uidValidity().value()).toArray(),
            page.stream().mapToLong(h -> h.uid().value()).toArray());
    Map<String, Result> results = new LinkedHashMap<>();
    for (SearchReplied.Hit h : page) {
      LocalHit known =
          stored.get(
              LocalSearch.key(h.mailbox().value(), h.uidValidity().value(), h.uid().value()));
      results.put(
          LocalSearch.key(h.mailbox().value(), h.uidValidity().value(), h.uid().value()),
          result(
              known, h.mailbox().value(), h.uidValidity().value(), h.uid().value(), h.relevancy()));
    }
    boolean more = all.size() > offset + limit;
    if (!reply.complete() && !more) {
      notes.add("the server's answer was incomplete");
    }
    if (results.values().stream().anyMatch(r -> r.identity() == null)) {
      notes.add("some server matches are not stored yet: they have a location but no identity");
    }
    SearchRoute route = fuzzy ? SearchRoute.SERVER_FUZZY : SearchRoute.SERVER;
    return answer(
        account,
        route,
        behind || !reply.complete() && !more,
        notes,
        List.copyOf(results.values()),
        more ? PageCursor.of(offset + limit) : null,
        start);
  }

  private static Result result(
      LocalHit known, String mailbox, long uidValidity, long uid, Integer relevancy) {
    return known == null
        ? new Result(null, mailbox, uidValidity, uid, null, null, null, relevancy)
        : new Result(
            known.identity(),
            mailbox,
            uidValidity,
            uid,
            known.subject(),
            known.from(),
            known.sentAt(),
            relevancy);
  }

  private static AccountAnswer answer(
      AccountId account,
      SearchRoute route,
      boolean partial,
      List<String> notes,
      List<Result> results,
      String next,
      long start) {
    return new AccountAnswer(
        account.toString(),
        route.wireName(),
        partial,
        List.copyOf(notes),
        results,
        next,
        (System.nanoTime() - start) / 1_000_000);
  }

  /** For a caller that runs several accounts at once. */
  public CompletableFuture<AccountAnswer> searchAsync(
      AccountId account, SearchQuery query, int limit) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return search(account, query, limit, null);
          } catch (SQLException e) {
            throw new IllegalStateException("the local index could not be read", e);
          }
        },
        ACCOUNTS);
  }
}
