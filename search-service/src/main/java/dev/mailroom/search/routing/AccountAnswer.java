package dev.mailroom.search.routing;

import java.time.Instant;
import java.util.List;

/**
 * One account's part of a search answer.
 *
 * @param route {@code server-fuzzy}, {@code server} or {@code local}: what produced the results
 * @param partial true when the results may miss matches: the server did not answer in time, a
 *     mailbox is not fully synced yet, the server's list was cut, or server searches were
 *     rate-limited; {@code notes} say which
 * @param nextCursor pass as {@code cursor} for the next page; null on the last page
 */
public record AccountAnswer(
    String accountId,
    String route,
    boolean partial,
    List<String> notes,
    List<Result> results,
    String nextCursor,
    long tookMillis) {

  /**
   * A message found, at its location. {@code identity}, {@code subject}, {@code from} and {@code
   * sentAt} come from the local index and are null for a server match the index does not hold yet;
   * {@code relevancy} is the server's RFC 6203 score (1-100) where it gave one.
   */
  public record Result(
      String identity,
      String mailbox,
      long uidValidity,
      long uid,
      String subject,
      String from,
      Instant sentAt,
      Integer relevancy) {}
}
