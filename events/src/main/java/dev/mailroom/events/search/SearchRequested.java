package dev.mailroom.events.search;

import dev.mailroom.events.EventIds;
import dev.mailroom.events.EventType;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.MailboxPath;
import java.time.Instant;
import java.util.List;

/**
 * search-service asks the connector that holds the account to search on the server. Only that
 * connector answers ({@link SearchReplied} with the same {@code correlationId}); one that does not
 * hold the account stays silent, and so does every connector after {@code deadline}: the asker has
 * stopped waiting by then and answered from its local index.
 *
 * @param correlationId chosen by the asker, unique per request; the reply carries it back
 * @param mailbox the mailbox to search, or null for every mailbox of the account
 * @param terms the parsed query, all of which must match; the connector quotes each value itself
 * @param fuzzy ask for RFC 6203 FUZZY matching (and RELEVANCY where the server has ESEARCH). The
 *     connector still checks that the server advertises SEARCH=FUZZY and never sends it otherwise.
 * @param limit most hits wanted, best first
 */
public record SearchRequested(
    AccountId accountId,
    String correlationId,
    MailboxPath mailbox,
    List<SearchTerm> terms,
    boolean fuzzy,
    int limit,
    Instant requestedAt,
    Instant deadline)
    implements SearchRequestEvent {

  public SearchRequested {
    if (correlationId == null || correlationId.isBlank()) {
      throw new IllegalArgumentException("a search request needs a correlation id");
    }
    if (terms == null || terms.isEmpty()) {
      throw new IllegalArgumentException("a search request needs at least one term");
    }
    terms = List.copyOf(terms);
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1");
    }
  }

  @Override
  public String eventId() {
    return EventIds.of(EventType.SEARCH_REQUESTED.ceType(), accountId, correlationId);
  }
}
