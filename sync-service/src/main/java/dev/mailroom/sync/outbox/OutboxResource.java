package dev.mailroom.sync.outbox;

import dev.mailroom.sync.api.NotFoundProblem;
import dev.mailroom.sync.change.ChangeLocks;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Internal API of the outbox (ADR 0006): the gateway queues a message and reads its state; the
 * connector reads its MIME by id. Not public: the gateway checks ownership before it calls.
 */
@Path("/internal/accounts/{accountId}/outbox")
public class OutboxResource {

  /**
   * @param mime the whole message, base64: the gateway built it and checked its size against the
   *     server's SIZE
   * @param sentMailbox where the copy goes (the Sent role the gateway resolved); null for none
   */
  public record QueueRequest(
      UUID id,
      String idempotencyKey,
      String messageId,
      String envelopeFrom,
      List<String> recipients,
      String subject,
      byte[] mime,
      String sentMailbox) {}

  private final OutboxRelay relay;
  private final Clock clock = Clock.systemUTC();

  OutboxResource(OutboxRelay relay) {
    this.relay = relay;
  }

  /**
   * Queues the message, or answers with the message already queued under the same Idempotency-Key
   * (200 instead of 201): a retried request never queues twice.
   */
  @POST
  @Produces(MediaType.APPLICATION_JSON)
  // Besides messages.read for every internal path (application.properties): a write has its own
  // role, which the connector's identity, a reader of the outbox, does not hold (ADR 0007).
  @jakarta.annotation.security.RolesAllowed("outbox.write")
  public Response queue(@PathParam("accountId") UUID accountId, QueueRequest request) {
    if (request == null
        || request.id() == null
        || request.mime() == null
        || request.messageId() == null
        || request.envelopeFrom() == null
        || request.recipients() == null
        || request.recipients().isEmpty()) {
      throw new BadRequestException(
          "id, messageId, envelopeFrom, recipients and mime are required");
    }
    var now = clock.instant();
    // INSERT ... ON CONFLICT DO NOTHING: two concurrent requests with one key make one row, and
    // the loser reads the winner's.
    int inserted = QuarkusTransaction.requiringNew().call(() -> insert(accountId, request, now));
    OutboxMessage stored =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    inserted == 1
                        ? OutboxMessage.<OutboxMessage>findById(request.id())
                        : OutboxMessage.<OutboxMessage>find(
                                "accountId = ?1 and idempotencyKey = ?2",
                                accountId,
                                request.idempotencyKey())
                            .firstResult());
    if (inserted == 1) {
      relay.wake();
    }
    return Response.status(inserted == 1 ? 201 : 200).entity(OutboxView.of(stored)).build();
  }

  private static int insert(UUID accountId, QueueRequest request, Instant now) {
    // The account's change-log lock first, as every writer of changes takes it (ChangeLocks).
    ChangeLocks.lock(OutboxMessage.getEntityManager(), accountId);
    return OutboxMessage.getEntityManager()
        .createNativeQuery(
            """
            insert into outbox_message (id, account_id, idempotency_key, message_id, envelope_from,
                recipients, subject, mime, size_bytes, state, attempts, created_at, updated_at,
                sent_mailbox)
            values (:id, :account, :key, :messageId, :from, cast(:recipients as jsonb), :subject, :mime,
                :size, 'queued', 0, :now, :now, :sentMailbox)
            on conflict (account_id, idempotency_key) do nothing
            """)
        .setParameter("id", request.id())
        .setParameter("account", accountId)
        .setParameter("key", request.idempotencyKey())
        .setParameter("messageId", request.messageId())
        .setParameter("from", request.envelopeFrom())
        .setParameter(
            "recipients",
            dev.mailroom.events.EventCodec.mapper().valueToTree(request.recipients()).toString())
        .setParameter("subject", request.subject())
        .setParameter("mime", request.mime())
        .setParameter("size", request.mime().length)
        .setParameter("now", now)
        .setParameter("sentMailbox", request.sentMailbox())
        .executeUpdate();
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public List<OutboxView> recent(@PathParam("accountId") UUID accountId) {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                OutboxMessage.<OutboxMessage>find(
                        "accountId = ?1 order by createdAt desc", accountId)
                    .page(0, 100)
                    .list()
                    .stream()
                    .map(OutboxView::of)
                    .toList());
  }

  @GET
  @Path("/{id}")
  @Produces(MediaType.APPLICATION_JSON)
  public OutboxView get(@PathParam("accountId") UUID accountId, @PathParam("id") UUID id) {
    return OutboxView.of(require(accountId, id));
  }

  /** The message itself, for the connector that sends it. */
  @GET
  @Path("/{id}/mime")
  @Produces("message/rfc822")
  public byte[] mime(@PathParam("accountId") UUID accountId, @PathParam("id") UUID id) {
    return require(accountId, id).mime;
  }

  private static OutboxMessage require(UUID accountId, UUID id) {
    OutboxMessage m =
        QuarkusTransaction.requiringNew().call(() -> OutboxMessage.<OutboxMessage>findById(id));
    if (m == null || !m.accountId.equals(accountId)) {
      throw new NotFoundProblem("no outbox message " + id + " in account " + accountId);
    }
    return m;
  }
}
