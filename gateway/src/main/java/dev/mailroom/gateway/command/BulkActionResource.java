package dev.mailroom.gateway.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailroom.gateway.problem.GatewayException;
import dev.mailroom.gateway.problem.Problem;
import dev.mailroom.gateway.problem.Problem.FieldError;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** One action on many messages: a single command, applied on the server in chunks. */
@Path("/api/accounts/{id}/actions")
@RolesAllowed({"user", "admin"})
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "actions")
public class BulkActionResource {

  static final int MAX_MESSAGES = 1000;
  static final Set<String> ACTIONS =
      Set.of("seen", "unseen", "flag", "unflag", "archive", "trash", "junk", "move", "delete");

  private final JsonWebToken token;
  private final MessageActions actions;

  @Inject
  public BulkActionResource(JsonWebToken token, MessageActions actions) {
    this.token = token;
    this.actions = actions;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Apply one action to up to 1,000 messages on the server",
      description =
          "One command: GET .../commands/{commandId} tells when the server has it all. A connector"
              + " that fails in the middle is replaced and goes on where it stopped; nothing is applied twice.")
  @APIResponse(responseCode = "202", description = "Accepted: {commandId, status}")
  @APIResponse(
      responseCode = "400",
      description =
          "An unknown action, too many or no messages, a move without"
              + " mailbox, or a delete of messages outside Trash and Junk",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "404",
      description = "No such account among the caller's, or messages the account never had",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "410",
      description =
          "Some messages were expunged (urn:mailroom:problem:message-expunged, naming them), or"
              + " their mailbox is being synced again after a reset (message-relocating)",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "422",
      description =
          "The Idempotency-Key was used for another request"
              + " (urn:mailroom:problem:idempotency-key-reused)",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "409",
      description =
          "Mailboxes not configured: the role the action needs has no"
              + " mailbox; the problem names it and the fix",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public Response apply(
      @PathParam("id") String id,
      @HeaderParam(MessageActionResource.IDEMPOTENCY_KEY) String idempotencyKey,
      BulkActionRequest body) {
    List<FieldError> errors = new ArrayList<>();
    MessageActionResource.checkKey(idempotencyKey, errors);
    if (body == null || body.action() == null || !ACTIONS.contains(body.action())) {
      errors.add(
          new FieldError(
              "action", "one of " + String.join(", ", ACTIONS.stream().sorted().toList())));
    }
    List<String> ids = body == null || body.messageIds() == null ? List.of() : body.messageIds();
    if (ids.isEmpty() || ids.size() > MAX_MESSAGES) {
      errors.add(new FieldError("messageIds", "between 1 and " + MAX_MESSAGES + " message ids"));
    } else if (ids.stream().anyMatch(m -> m == null || m.isBlank())
        || new HashSet<>(ids).size() != ids.size()) {
      errors.add(new FieldError("messageIds", "each id once, none blank"));
    }
    boolean move = body != null && "move".equals(body.action());
    if (move && (body.mailbox() == null || body.mailbox().isBlank())) {
      errors.add(new FieldError("mailbox", "move needs the destination mailbox's path"));
    } else if (!move && body != null && body.mailbox() != null) {
      errors.add(
          new FieldError(
              "mailbox", "only move takes a mailbox; archive, trash and junk use the role's"));
    }
    if (!errors.isEmpty()) {
      throw new GatewayException.InvalidRequest(errors);
    }
    String owner = owner();
    JsonNode accepted =
        switch (body.action()) {
          case "seen" ->
              actions.setFlags(
                  id, owner, ids, new Keywords.Edit(List.of("\\Seen"), List.of()), idempotencyKey);
          case "unseen" ->
              actions.setFlags(
                  id, owner, ids, new Keywords.Edit(List.of(), List.of("\\Seen")), idempotencyKey);
          case "flag" ->
              actions.setFlags(
                  id,
                  owner,
                  ids,
                  new Keywords.Edit(List.of("\\Flagged"), List.of()),
                  idempotencyKey);
          case "unflag" ->
              actions.setFlags(
                  id,
                  owner,
                  ids,
                  new Keywords.Edit(List.of(), List.of("\\Flagged")),
                  idempotencyKey);
          case "archive", "trash", "junk" ->
              actions.move(id, owner, ids, new MoveRequest(null, body.action()), idempotencyKey);
          case "move" ->
              actions.move(id, owner, ids, new MoveRequest(body.mailbox(), null), idempotencyKey);
          case "delete" -> actions.delete(id, owner, ids, idempotencyKey);
          default -> throw new IllegalStateException(body.action());
        };
    return Response.accepted(accepted)
        .header(
            HttpHeaders.LOCATION,
            "/api/accounts/" + id + "/commands/" + accepted.path("commandId").asText())
        .build();
  }

  private String owner() {
    String subject = token.getSubject();
    if (subject == null || subject.isBlank()) {
      throw new GatewayException.Forbidden(
          "the token has no subject (sub claim), so its accounts cannot be told");
    }
    return subject;
  }
}
