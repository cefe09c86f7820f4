package dev.mailroom.events.search;

import dev.mailroom.events.EventIds;
import dev.mailroom.events.EventType;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.MailboxPath;
import dev.mailroom.events.model.Uid;
import dev.mailroom.events.model.UidValidity;
import java.time.Instant;
import java.util.List;

/**
 * The connector's answer to a {@link SearchRequested}: the server's matches as locations, best
 * first where the server ranked them.
 *
 * @param route {@code server-fuzzy} when FUZZY was sent, {@code server} for a plain SEARCH
 * @param hits at most the request's limit
 * @param complete false when the server had more matches than the limit, or a mailbox could not be
 *     searched
 * @param error why the search failed (hits then empty), or null; never the server's credentials
 * @param tookMillis time spent on the server, from the work's start to its end
 */
public record SearchReplied(
    AccountId accountId,
    String correlationId,
    String route,
    List<Hit> hits,
    boolean complete,
    String error,
    long tookMillis,
    Instant repliedAt)
    implements SearchReplyEvent {

  /**
   * One match.
   *
   * @param relevancy RFC 6203 §4 score, 1-100, where the server gave one; else null
   */
  public record Hit(MailboxPath mailbox, UidValidity uidValidity, Uid uid, Integer relevancy) {}

  public SearchReplied {
    hits = hits == null ? List.of() : List.copyOf(hits);
  }

  @Override
  public String eventId() {
    return EventIds.of(EventType.SEARCH_REPLIED.ceType(), accountId, correlationId);
  }
}
