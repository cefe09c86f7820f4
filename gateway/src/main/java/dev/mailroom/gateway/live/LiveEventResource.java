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
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** The caller's changes as they are committed, as Server-Sent Events. */
@Path("/api/events")
@RolesAllowed({"user", "admin"})
@Tag(name = "live", description = "Live updates")
public class LiveEventResource {

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
   * A stream of events named {@code message.added}, {@code message.changed}, {@code
   * message.removed}, {@code mailbox.changed}, {@code mailbox.removed}, {@code account.status} and
   * {@code account.deleted}, each with a JSON object naming its {@code accountId}; {@code ready}
   * once every account is followed; a comment line as heartbeat; {@code token-expired} before the
   * stream ends at the token's expiry. Each event's {@code id} is the stream's position: sent back
   * as {@code Last-Event-ID} (or {@code lastEventId} where a client cannot set headers), the stream
   * resumes right after it, from the store's change log. Only the caller's accounts.
   */
  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
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
