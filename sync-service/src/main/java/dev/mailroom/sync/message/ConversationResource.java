package dev.mailroom.sync.message;

import dev.mailroom.sync.api.NotFoundProblem;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.util.List;
import java.util.UUID;

/** A conversation: every message of one thread, oldest first, wherever each one is. */
@Path("/internal/accounts/{accountId}/conversations/{threadId}")
public class ConversationResource {

  static final int MAX_MESSAGES = 500;

  private final MessageResource messages;

  ConversationResource(MessageResource messages) {
    this.messages = messages;
  }

  public record Conversation(String threadId, List<MessageResource.MessageSummary> messages) {}

  /** One row per location (a message in two mailboxes shows twice, with each mailbox's flags). */
  @GET
  public Conversation get(
      @PathParam("accountId") UUID accountId, @PathParam("threadId") String threadId) {
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        Panache.getEntityManager()
            .createNativeQuery(
                """
            select m.identity, l.mailbox, l.uid_validity, l.uid, m.message_id, m.subject,
                   cast(m.from_json as text), cast(m.to_json as text), cast(m.cc_json as text),
                   m.sent_at, l.internal_date, l.flags, m.size, m.in_reply_to, m.thread_id
            from message m
            join message_location l on l.message_ref = m.id
            where m.account_id = :account and m.thread_id = :thread
            order by coalesce(m.sent_at, l.internal_date), m.id, l.mailbox, l.uid
            limit :limit
            """)
            .setParameter("account", accountId)
            .setParameter("thread", threadId)
            .setParameter("limit", MAX_MESSAGES)
            .getResultList();
    if (rows.isEmpty()) {
      throw new NotFoundProblem("no conversation " + threadId + " in account " + accountId);
    }
    PendingFlags pending =
        PendingFlags.at(
            accountId,
            rows.stream()
                .map(
                    r ->
                        PendingFlags.key(
                            (String) r[1],
                            ((Number) r[2]).longValue(),
                            ((Number) r[3]).longValue()))
                .toList());
    return new Conversation(
        threadId, rows.stream().map(r -> messages.summary(r, pending)).toList());
  }
}
