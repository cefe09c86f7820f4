package dev.mailroom.gateway.live;

import dev.mailroom.gateway.message.SyncMessagesClient;
import dev.mailroom.gateway.problem.GatewayException;
import dev.mailroom.gateway.sync.MessageStore;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Instant;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** The caller's changes as they are committed, as Server-Sent Events. */
@Path("/api/events")
@RolesAllowed({"user", "admin"})
@Tag(name = "live", description = "Live updates")
public class LiveEventResource {

  static final String DESCRIPTION =
      """
      A stream of Server-Sent Events, each with a JSON object naming its `accountId`:

      - `message.added`, `message.changed`, `message.removed`: `mailbox`, `uidValidity`, `uid`, \
      `id` (the message id) and `at`;
      - `mailbox.changed`, `mailbox.removed`: `mailbox`, `uidValidity`;
      - `command.pending`, `command.applied`, `command.failed`: a command (mark read, star, move, \
      archive, trash) was recorded and then applied or refused by the server: `commandId`, \
      `action`, `status`, `changed`, `unchanged`, `targets`, and for a failure `reason` and \
      `detail` (the server's words);
      - `outbox.queued`, `outbox.retrying`, `outbox.sent`, `outbox.failed`: a message sent \
      through `POST /api/accounts/{id}/outbox`: `outboxId`, `messageId`, `state`, `attempts`, \
      `lastCode`, `lastReason`, `nextAttemptAt`, `smtpReply`, `sentCopyMailbox`, `sentAt`;
      - `account.status`: `status`, `since`, `reason`, `detail`;
      - `account.deleted`: the account's last event;
      - `ready` once every account is followed; `token-expired` before the stream ends at the \
      token's expiry.

      A comment line is sent as heartbeat. Each event's `id` is the stream's position: sent back \
      as `Last-Event-ID` (or `lastEventId` where a client cannot set headers), the stream resumes \
      right after it, from the store's change log, which records every change above except \
      `account.status` in the transaction that made it. Only the caller's accounts.
      """;

  private final JsonWebToken token;
  private final MessageStore store;
  private final SyncMessagesClient sync;
  private final StatusFeed statuses;
  private final LiveConfig config;

  @Inject
  public LiveEventResource(
      JsonWebToken token,
      MessageStore store,
      @RestClient SyncMessagesClient sync,
      StatusFeed statuses,
      LiveConfig config) {
    this.token = token;
    this.store = store;
    this.sync = sync;
    this.statuses = statuses;
    this.config = config;
  }

  /**
   * The caller's changes as Server-Sent Events; the names and payloads are in {@link #DESCRIPTION},
   * which is also the operation's OpenAPI description.
   */
  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @Operation(summary = "The caller's changes as they are committed", description = DESCRIPTION)
  @APIResponse(responseCode = "200", description = "text/event-stream")
  @APIResponse(responseCode = "400", description = "Last-Event-ID is not an id of this stream")
  @APIResponse(responseCode = "401", description = "No valid bearer token")
  public void events(
      @Context SseEventSink sink,
      @Context Sse sse,
      @Parameter(description = "The id of the last event received, to resume after it")
          @HeaderParam("Last-Event-ID")
          String lastEventId,
      @Parameter(description = "Same as Last-Event-ID, for clients that cannot set headers")
          @QueryParam("lastEventId")
          String lastEventIdParam) {
    String owner = token.getSubject();
    if (owner == null || owner.isBlank()) {
      throw new GatewayException.Forbidden(
          "the token has no subject (sub claim), so the accounts it may see cannot be told");
    }
    String last = lastEventId != null && !lastEventId.isBlank() ? lastEventId : lastEventIdParam;
    StreamPosition from = last == null || last.isBlank() ? null : StreamPosition.decode(last);
    long exp = token.getExpirationTime();
    Instant expiresAt = exp > 0 ? Instant.ofEpochSecond(exp) : null;
    LiveStream stream = new LiveStream(sink, sse, owner, expiresAt, store, sync, statuses, config);
    Thread.ofVirtual().name("live-stream").start(() -> stream.run(from));
  }
}
