package dev.mailroom.gateway.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailroom.gateway.problem.GatewayException;
import dev.mailroom.gateway.problem.Problem;
import dev.mailroom.gateway.problem.Problem.FieldError;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * What an owner does to messages, applied on the IMAP server by the connector (two-way sync). Every
 * action answers 202 with a command id: the store shows the asked state at once, marked {@code
 * pending}, and {@code GET .../commands/{commandId}} says when the server has it.
 */
@Path("/api/accounts/{id}")
@RolesAllowed({"user", "admin"})
@Produces(MediaType.APPLICATION_JSON)
@Tag(
    name = "actions",
    description = "Changing mail on the server: flags, and the commands that carry them")
@APIResponse(responseCode = "401", description = "No valid bearer token")
@APIResponse(
    responseCode = "404",
    description =
        "No such account among the caller's, or a message or command the account never had",
    content =
        @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(
    responseCode = "410",
    description =
        "The message was there and is gone: expunged (type urn:mailroom:problem:message-expunged),"
            + " or its mailbox was reset on the server and is being synced again"
            + " (urn:mailroom:problem:message-relocating: retry shortly)",
    content =
        @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(
    responseCode = "422",
    description =
        "The Idempotency-Key was used for another request (type"
            + " urn:mailroom:problem:idempotency-key-reused, naming the key); the same request with"
            + " the same key answers its first command",
    content =
        @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(
    responseCode = "503",
    description =
        "The event log or the message store is not reachable; retry"
            + " (with the same Idempotency-Key)",
    content =
        @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class MessageActionResource {

  static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  private final JsonWebToken token;
  private final MessageActions actions;

  @Inject
  public MessageActionResource(JsonWebToken token, MessageActions actions) {
    this.token = token;
    this.actions = actions;
  }

  @PATCH
  @Path("/messages/{messageId}")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Set or clear read, starred, replied and keywords of a message, on the server",
      description =
          "Applied to every mailbox that holds the message. A change another client made to the"
              + " same flag after the caller's view was read keeps the other client's value (the command then"
              + " fails with reason CONFLICT, and the message shows the server's state).")
  @APIResponse(
      responseCode = "202",
      description = "Accepted: {commandId, status}; Location names the command")
  @APIResponse(
      responseCode = "400",
      description = "Nothing to change, or a keyword IMAP cannot store",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public Response setFlags(
      @PathParam("id") String id,
      @PathParam("messageId") String messageId,
      @Parameter(
              description =
                  "Makes a retried request a no-op: the same key names the same command (1-255"
                      + " printable ASCII characters); the key sent with another request is"
                      + " refused (422)")
          @HeaderParam(IDEMPOTENCY_KEY)
          String idempotencyKey,
      FlagChangeRequest body) {
    List<FieldError> errors = new ArrayList<>();
    checkKey(idempotencyKey, errors);
    Keywords.Edit edit = Keywords.edit(body, errors);
    if (!errors.isEmpty()) {
      throw new GatewayException.InvalidRequest(errors);
    }
    return accepted(id, actions.setFlags(id, owner(), List.of(messageId), edit, idempotencyKey));
  }

  @jakarta.ws.rs.POST
  @Path("/messages/{messageId}/move")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Move a message to a mailbox or a role's mailbox, on the server",
      description =
          "With MOVE (RFC 6851) where the server has it, else COPY and UID EXPUNGE of the message"
              + " only (RFC 4315); a server with neither gets a failed command, never a wider expunge.")
  @APIResponse(
      responseCode = "202",
      description = "Accepted: {commandId, status}; Location names the command")
  @APIResponse(
      responseCode = "400",
      description =
          "Neither or both of mailbox and role, an unknown role or"
              + " mailbox, or the message is already there",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "409",
      description =
          "Mailboxes not configured: no mailbox plays the role; the"
              + " problem names the role and the fix (map a mailbox with PUT .../roles, or create one)",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public Response move(
      @PathParam("id") String id,
      @PathParam("messageId") String messageId,
      @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey,
      MoveRequest body) {
    List<FieldError> errors = new ArrayList<>();
    checkKey(idempotencyKey, errors);
    if (body == null || (body.mailbox() == null) == (body.role() == null)) {
      errors.add(
          new FieldError(
              "body", "give either mailbox (a path) or role (archive, trash, junk, inbox)"));
    } else if (body.role() != null && !Destinations.MOVE_ROLES.contains(body.role())) {
      errors.add(
          new FieldError(
              "role", "'" + body.role() + "' is not one of archive, trash, junk, inbox"));
    } else if (body.mailbox() != null && body.mailbox().isBlank()) {
      errors.add(new FieldError("mailbox", "must not be blank"));
    }
    if (!errors.isEmpty()) {
      throw new GatewayException.InvalidRequest(errors);
    }
    return accepted(id, actions.move(id, owner(), List.of(messageId), body, idempotencyKey));
  }

  private static Response accepted(String id, JsonNode accepted) {
    return Response.accepted(accepted)
        .header(
            HttpHeaders.LOCATION,
            "/api/accounts/" + id + "/commands/" + accepted.path("commandId").asText())
        .build();
  }

  @GET
  @Path("/commands/{commandId}")
  @Operation(
      summary =
          "A command's status: pending, applied, or failed with the reason and the server's words")
  @APIResponse(
      responseCode = "200",
      description =
          "{commandId, status, action, reason, detail, changed,"
              + " unchanged, requestedAt, resolvedAt}")
  public JsonNode command(@PathParam("id") String id, @PathParam("commandId") String commandId) {
    return actions.command(id, owner(), commandId);
  }

  static void checkKey(String key, List<FieldError> errors) {
    if (key == null) {
      return;
    }
    boolean printable = key.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    if (key.isEmpty() || key.length() > 255 || !printable) {
      errors.add(
          new FieldError(
              IDEMPOTENCY_KEY, "must be 1 to 255 printable ASCII characters without spaces"));
    }
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
