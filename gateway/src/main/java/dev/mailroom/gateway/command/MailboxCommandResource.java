package dev.mailroom.gateway.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailroom.gateway.problem.GatewayException;
import dev.mailroom.gateway.problem.Problem;
import dev.mailroom.gateway.problem.Problem.FieldError;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Creating, renaming and deleting mailboxes on the server, as commands (202 with a command id). The
 * mailbox is named by a query parameter: paths hold the server's delimiter, which may be "/".
 */
@Path("/api/accounts/{id}/mailboxes")
@RolesAllowed({"user", "admin"})
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "actions")
@APIResponse(
    responseCode = "409",
    description = "The mailbox exists already, is INBOX, or is not empty",
    content =
        @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(
    responseCode = "422",
    description =
        "The Idempotency-Key was used for another request"
            + " (urn:mailroom:problem:idempotency-key-reused)",
    content =
        @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class MailboxCommandResource {

  static final int MAX_PATH = 500;

  private final JsonWebToken token;
  private final MessageActions actions;

  @Inject
  public MailboxCommandResource(JsonWebToken token, MessageActions actions) {
    this.token = token;
    this.actions = actions;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Create a mailbox on the server (e.g. one to map a missing role to)")
  @APIResponse(responseCode = "202", description = "Accepted: {commandId, status}")
  public Response create(
      @PathParam("id") String id,
      @HeaderParam(MessageActionResource.IDEMPOTENCY_KEY) String key,
      MailboxRequest body) {
    actions.requireOwned(id, owner());
    check(key, body == null ? null : body.path(), "path");
    return accepted(id, actions.mailbox(id, owner(), null, body.path(), key));
  }

  @PATCH
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Rename the mailbox ?path= to the body's path")
  @APIResponse(responseCode = "202", description = "Accepted: {commandId, status}")
  public Response rename(
      @PathParam("id") String id,
      @QueryParam("path") String path,
      @HeaderParam(MessageActionResource.IDEMPOTENCY_KEY) String key,
      MailboxRequest body) {
    actions.requireOwned(id, owner());
    check(key, path, "query parameter path");
    check(null, body == null ? null : body.path(), "path");
    return accepted(id, actions.mailbox(id, owner(), path, body.path(), key));
  }

  @DELETE
  @Operation(summary = "Delete the empty mailbox ?path=")
  @APIResponse(responseCode = "202", description = "Accepted: {commandId, status}")
  public Response delete(
      @PathParam("id") String id,
      @QueryParam("path") String path,
      @HeaderParam(MessageActionResource.IDEMPOTENCY_KEY) String key) {
    actions.requireOwned(id, owner());
    check(key, path, "query parameter path");
    return accepted(id, actions.mailbox(id, owner(), path, null, key));
  }

  private static void check(String key, String path, String field) {
    List<FieldError> errors = new ArrayList<>();
    MessageActionResource.checkKey(key, errors);
    if (path == null
        || path.isBlank()
        || path.length() > MAX_PATH
        || path.chars().anyMatch(c -> c < 0x20)) {
      errors.add(
          new FieldError(
              field, "a mailbox path of 1 to " + MAX_PATH + " characters, no control characters"));
    }
    if (!errors.isEmpty()) {
      throw new GatewayException.InvalidRequest(errors);
    }
  }

  private static Response accepted(String id, JsonNode accepted) {
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
