package dev.mailroom.sync.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

@jakarta.inject.Singleton
@Path("/internal/accounts/{accountId}/messages")
public class MessageResource {

  static final int MAX_LIMIT = 200;

  private final ObjectMapper json;

  MessageResource(ObjectMapper json) {
    this.json = json;
  }

  public record MessageSummary(
      String id,
      String mailbox,
      long uidValidity,
      long uid,
      String messageId,
      String subject,
      JsonNode from,
      JsonNode to,
      JsonNode cc,
      Instant date,
      Instant internalDate,
      List<String> flags,
      long size,
      String inReplyTo,
      String threadId,
      boolean pending,
      String movingTo) {}

  public record Page(List<MessageSummary> items, String nextCursor) {}

  /**
   * Messages of one mailbox at its current UIDVALIDITY, newest first: a keyset seek on the page
   * index (account, mailbox, internal date, UID), so every page costs the same.
   */
  @GET
  public Page list(
      @PathParam("accountId") UUID accountId,
      @QueryParam("mailbox") String mailbox,
      @QueryParam("limit") @DefaultValue("50") int limit,
      @QueryParam("cursor") String cursor) {
    if (mailbox == null || mailbox.isBlank()) {
      throw new BadRequestException("query parameter 'mailbox' is required");
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new BadRequestException("limit must be between 1 and " + MAX_LIMIT);
    }
    PageCursor after;
    try {
      after = cursor == null || cursor.isBlank() ? null : PageCursor.decode(cursor);
    } catch (IllegalArgumentException e) {
      throw new BadRequestException(e.getMessage());
    }
    String seek = after == null ? "" : "and (l.internal_date, l.uid) < (:afterDate, :afterUid)";
    var query =
        Panache.getEntityManager()
            .createNativeQuery(
                """
                select m.identity, l.mailbox, l.uid_validity, l.uid, m.message_id, m.subject,
                       cast(m.from_json as text), cast(m.to_json as text), cast(m.cc_json as text),
                       m.sent_at, l.internal_date, l.flags, m.size, m.in_reply_to, m.thread_id
                from message_location l
                join message m on m.id = l.message_ref
                where l.account_id = :account and l.mailbox = :mailbox
                  and l.uid_validity = (select b.uid_validity from mailbox b
                                        where b.account_id = :account and b.path = :mailbox) %s
                order by l.internal_date desc, l.uid desc
                limit :limit
                """
                    .formatted(seek))
            .setParameter("account", accountId)
            .setParameter("mailbox", mailbox)
            .setParameter("limit", limit + 1);
    if (after != null) {
      query.setParameter("afterDate", Timestamp.from(after.internalDate()));
      query.setParameter("afterUid", after.uid());
    }
    @SuppressWarnings("unchecked")
    List<Object[]> rows = query.getResultList();
    List<Object[]> page = rows.subList(0, Math.min(limit, rows.size()));
    PendingFlags pending =
        PendingFlags.at(
            accountId,
            page.stream()
                .map(
                    r ->
                        PendingFlags.key(
                            (String) r[1],
                            ((Number) r[2]).longValue(),
                            ((Number) r[3]).longValue()))
                .toList());
    List<MessageSummary> items = new ArrayList<>();
    for (Object[] row : page) {
      items.add(summary(row, pending));
    }
    String next = null;
    if (rows.size() > limit) {
      MessageSummary last = items.getLast();
      next = new PageCursor(last.internalDate(), last.uid()).encode();
    }
    return new Page(items, next);
  }

  MessageSummary summary(Object[] r, PendingFlags pending) {
    PendingFlags.Shown flags =
        pending.shown(
            (String) r[1],
            ((Number) r[2]).longValue(),
            ((Number) r[3]).longValue(),
            r[11] == null ? List.of() : Arrays.asList((String[]) r[11]));
    return new MessageSummary(
        (String) r[0],
        (String) r[1],
        ((Number) r[2]).longValue(),
        ((Number) r[3]).longValue(),
        (String) r[4],
        (String) r[5],
        tree((String) r[6]),
        tree((String) r[7]),
        tree((String) r[8]),
        instant(r[9]),
        instant(r[10]),
        flags.flags(),
        ((Number) r[12]).longValue(),
        (String) r[13],
        (String) r[14],
        flags.pending(),
        flags.movingTo());
  }

  JsonNode tree(String text) {
    try {
      return json.readTree(text);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("stored address list is not JSON", e);
    }
  }

  public static Instant instant(Object value) {
    return switch (value) {
      case null -> null;
      case Instant i -> i;
      case Timestamp t -> t.toInstant();
      case java.time.OffsetDateTime o -> o.toInstant();
      default -> throw new IllegalStateException("unexpected timestamp type " + value.getClass());
    };
  }
}
