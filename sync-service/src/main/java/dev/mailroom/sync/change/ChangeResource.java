package dev.mailroom.sync.change;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mailroom.events.EventCodec;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What changed in an account's store after a cursor, for the gateway to forward to web clients. The
 * change log is written by database triggers in the transaction that made the change (see
 * V2__reconciliation.sql), so it lists exactly what was committed, and a replay that changed
 * nothing lists nothing. With {@code wait} the call long-polls: it answers as soon as there is a
 * change, or empty when the wait is over. A client keeps the returned {@code cursor} and asks again
 * from it.
 *
 * <p>Commands' outcomes ({@code command.pending}, {@code command.applied}, {@code command.failed})
 * and sends ({@code outbox.queued}, {@code outbox.retrying}, {@code outbox.sent}, {@code
 * outbox.failed}) carry what they were at that moment in {@code payload} (V6__command_and_send_
 * changes.sql).
 *
 * <p>Sequence numbers come from one PostgreSQL sequence, and a transaction that took a number
 * earlier could commit after one that took a higher number. Within one account that cannot happen:
 * a transaction takes the account's lock before its number and holds it until it commits (V6), so
 * an account's changes are committed in the order of their numbers and a cursor never skips one.
 * Writers take those locks up front, in one order, so that waiting never deadlocks ({@link
 * ChangeLocks}).
 */
@Path("/internal/accounts/{accountId}/changes")
public class ChangeResource {

  static final int MAX_LIMIT = 1000;
  static final int MAX_WAIT_SECONDS = 30;

  public record Change(
      long seq,
      String kind,
      String mailbox,
      Long uidValidity,
      Long uid,
      String id,
      Instant at,
      JsonNode payload) {}

  public record Changes(List<Change> changes, long cursor) {}

  @GET
  public Changes after(
      @PathParam("accountId") UUID accountId,
      @QueryParam("after") @DefaultValue("0") long after,
      @QueryParam("limit") @DefaultValue("500") int limit,
      @QueryParam("wait") @DefaultValue("0") int waitSeconds)
      throws InterruptedException {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new BadRequestException("limit must be between 1 and " + MAX_LIMIT);
    }
    if (waitSeconds < 0 || waitSeconds > MAX_WAIT_SECONDS) {
      throw new BadRequestException("wait must be between 0 and " + MAX_WAIT_SECONDS + " seconds");
    }
    long deadline = System.nanoTime() + waitSeconds * 1_000_000_000L;
    while (true) {
      List<Change> changes =
          QuarkusTransaction.requiringNew().call(() -> read(accountId, after, limit));
      if (!changes.isEmpty() || System.nanoTime() >= deadline) {
        return new Changes(changes, changes.isEmpty() ? after : changes.getLast().seq());
      }
      Thread.sleep(250);
    }
  }

  private static JsonNode payload(String json) {
    if (json == null) {
      return null;
    }
    try {
      return EventCodec.mapper().readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("change_log.payload is not JSON", e);
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Change> read(UUID accountId, long after, int limit) {
    List<Object[]> rows =
        Panache.getEntityManager()
            .createNativeQuery(
                """
            select c.seq, c.kind, c.mailbox, c.uid_validity, c.uid, m.identity, c.at, c.payload::text
            from change_log c left join message m on m.id = c.message_ref
            where c.account_id = :account and c.seq > :after
            order by c.seq limit :limit
            """)
            .setParameter("account", accountId)
            .setParameter("after", after)
            .setParameter("limit", limit)
            .getResultList();
    return rows.stream()
        .map(
            r ->
                new Change(
                    ((Number) r[0]).longValue(),
                    (String) r[1],
                    (String) r[2],
                    r[3] == null ? null : ((Number) r[3]).longValue(),
                    r[4] == null ? null : ((Number) r[4]).longValue(),
                    (String) r[5],
                    dev.mailroom.sync.message.MessageResource.instant(r[6]),
                    payload((String) r[7])))
        .toList();
  }
}
