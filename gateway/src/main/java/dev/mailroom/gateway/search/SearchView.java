package dev.mailroom.gateway.search;

import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The shape of search answers, for the OpenAPI document (the gateway passes search-service's JSON).
 */
public final class SearchView {

  private SearchView() {}

  @Schema(name = "SearchResult", description = "A message found, at its location")
  public record Result(
      @Schema(description = "The stored message's identity; null for a server match not stored yet")
          String identity,
      String mailbox,
      long uidValidity,
      long uid,
      String subject,
      String from,
      Instant sentAt,
      @Schema(description = "RFC 6203 relevancy 1-100 where the server gave one")
          Integer relevancy) {}

  @Schema(name = "AccountSearch", description = "One account's answer")
  public record Account(
      String accountId,
      @Schema(
              enumeration = {"server-fuzzy", "server", "local"},
              description =
                  "server-fuzzy: the server's RFC 6203 FUZZY search; server: a plain server SEARCH for"
                      + " mailboxes not fully synced yet; local: Mailroom's own index with typo tolerance")
          String route,
      @Schema(
              description =
                  "Matches may be missing; notes say why (server deadline, sync still running,"
                      + " rate limit)")
          boolean partial,
      List<String> notes,
      List<Result> results,
      @Schema(description = "Pass as cursor for the next page; null on the last") String nextCursor,
      long tookMillis) {}

  @Schema(name = "MultiAccountSearch", description = "Every account of the caller, first page each")
  public record Multi(String query, List<Account> accounts, long tookMillis) {}
}
