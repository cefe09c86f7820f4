package dev.mailroom.sync.message;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailroom.sync.api.NotFoundProblem;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** One message with its bodies (as far as the store keeps them), attachments and locations. */
@Path("/internal/accounts/{accountId}/messages/{identity}")
public class MessageDetailResource {

  private final MessageResource messages;

  MessageDetailResource(MessageResource messages) {
    this.messages = messages;
  }

  /**
   * {@code flags} as the owner sees them: with a pending command's flags laid over ({@code
   * pending}).
   */
  public record Location(
      String mailbox,
      long uidValidity,
      long uid,
      List<String> flags,
      Instant internalDate,
      Long modSeq,
      boolean pending,
      String movingTo) {}

  public record Attachment(String part, String filename, String contentType, long size) {}

  public record MessageDetail(
      String id,
      String messageId,
      String subject,
      JsonNode from,
      JsonNode to,
      JsonNode cc,
      Instant date,
      long size,
      String inReplyTo,
      JsonNode references,
      String threadId,
      String snippet,
      String textBody,
      String htmlBody,
      List<Attachment> attachments,
      List<Location> locations) {}

  @GET
  @SuppressWarnings("unchecked")
  public MessageDetail get(
      @PathParam("accountId") UUID accountId, @PathParam("identity") String identity) {
    var em = Panache.getEntityManager();
    List<Object[]> found =
        em.createNativeQuery(
                """
            select id, message_id, subject, cast(from_json as text), cast(to_json as text),
                   cast(cc_json as text), sent_at, size, in_reply_to, cast(references_json as text),
                   thread_id, snippet, text_body, html_body
            from message where account_id = :account and identity = :identity
            """)
            .setParameter("account", accountId)
            .setParameter("identity", identity)
            .getResultList();
    if (found.isEmpty()) {
      throw new NotFoundProblem("no message " + identity + " in account " + accountId);
    }
    Object[] m = found.getFirst();
    long ref = ((Number) m[0]).longValue();
    List<Object[]> attachments =
        em.createNativeQuery(
                "select part, filename, content_type, size from attachment where message_ref = :ref order by part")
            .setParameter("ref", ref)
            .getResultList();
    List<Object[]> locations =
        em.createNativeQuery(
                """
            select mailbox, uid_validity, uid, flags, internal_date, modseq from message_location
            where message_ref = :ref order by mailbox, uid_validity, uid
            """)
            .setParameter("ref", ref)
            .getResultList();
    return new MessageDetail(
        identity,
        (String) m[1],
        (String) m[2],
        messages.tree((String) m[3]),
        messages.tree((String) m[4]),
        messages.tree((String) m[5]),
        MessageResource.instant(m[6]),
        ((Number) m[7]).longValue(),
        (String) m[8],
        messages.tree((String) m[9]),
        (String) m[10],
        (String) m[11],
        (String) m[12],
        (String) m[13],
        attachments.stream()
            .map(
                a ->
                    new Attachment(
                        (String) a[0], (String) a[1], (String) a[2], ((Number) a[3]).longValue()))
            .toList(),
        locations(accountId, locations));
  }

  static List<Location> locations(UUID accountId, List<Object[]> rows) {
    PendingFlags pending =
        PendingFlags.at(
            accountId,
            rows.stream()
                .map(
                    l ->
                        PendingFlags.key(
                            (String) l[0],
                            ((Number) l[1]).longValue(),
                            ((Number) l[2]).longValue()))
                .toList());
    return rows.stream()
        .map(
            l -> {
              long uidValidity = ((Number) l[1]).longValue();
              long uid = ((Number) l[2]).longValue();
              var shown =
                  pending.shown(
                      (String) l[0],
                      uidValidity,
                      uid,
                      l[3] == null ? List.of() : Arrays.asList((String[]) l[3]));
              return new Location(
                  (String) l[0],
                  uidValidity,
                  uid,
                  shown.flags(),
                  MessageResource.instant(l[4]),
                  l[5] == null ? null : ((Number) l[5]).longValue(),
                  shown.pending(),
                  shown.movingTo());
            })
        .toList();
  }
}
