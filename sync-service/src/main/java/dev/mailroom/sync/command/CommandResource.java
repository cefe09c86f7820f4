package dev.mailroom.sync.command;

import dev.mailroom.sync.api.NotFoundProblem;
import dev.mailroom.sync.message.MessageResource;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An owner's command as the store knows it: pending until its outcome is read from the mail topic,
 * then applied or failed with the reason and the server's words.
 */
@Path("/internal/accounts/{accountId}/commands/{commandId}")
public class CommandResource {

  public record CommandView(
      String commandId,
      String status,
      String action,
      Integer targets,
      String reason,
      String detail,
      Integer changed,
      Integer unchanged,
      String idempotencyKey,
      String requestDigest,
      Instant requestedAt,
      Instant resolvedAt) {}

  @GET
  @SuppressWarnings("unchecked")
  public CommandView get(
      @PathParam("accountId") UUID accountId, @PathParam("commandId") String commandId) {
    UUID id;
    try {
      id = UUID.fromString(commandId);
    } catch (IllegalArgumentException e) {
      throw new NotFoundProblem("no command " + commandId);
    }
    List<Object[]> rows =
        Panache.getEntityManager()
            .createNativeQuery(
                """
            select status, action, targets, reason, detail, changed, unchanged, idempotency_key,
                   request_digest, requested_at, resolved_at
            from command where id = :id and account_id = :account
            """)
            .setParameter("id", id)
            .setParameter("account", accountId)
            .getResultList();
    if (rows.isEmpty()) {
      throw new NotFoundProblem("no command " + commandId + " in account " + accountId);
    }
    Object[] r = rows.getFirst();
    return new CommandView(
        commandId,
        (String) r[0],
        (String) r[1],
        integer(r[2]),
        (String) r[3],
        (String) r[4],
        integer(r[5]),
        integer(r[6]),
        (String) r[7],
        (String) r[8],
        MessageResource.instant(r[9]),
        MessageResource.instant(r[10]));
  }

  private static Integer integer(Object value) {
    return value == null ? null : ((Number) value).intValue();
  }
}
