package dev.mailroom.gateway.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailroom.gateway.problem.GatewayException;
import dev.mailroom.gateway.problem.Problem;
import dev.mailroom.gateway.send.SentMailboxes;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Which mailbox is Archive, Sent, Trash, Junk and Drafts: detected from SPECIAL-USE (RFC 6154) or
 * well-known names (then {@code guessed}), and the owner's own mapping, which wins.
 */
@Path("/api/accounts/{id}/roles")
@RolesAllowed({"user", "admin"})
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "actions")
@APIResponse(
    responseCode = "404",
    description = "No such account among the caller's",
    content =
        @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class RoleResource {

  private final JsonWebToken token;
  private final MailboxRoles roles;
  private final SentMailboxes sentMailboxes;

  @Inject
  public RoleResource(JsonWebToken token, MailboxRoles roles, SentMailboxes sentMailboxes) {
    this.token = token;
    this.roles = roles;
    this.sentMailboxes = sentMailboxes;
  }

  @GET
  @Operation(
      summary =
          "Each role's mailbox (path, source: owner | special-use | name, guessed), and the unmapped roles")
  public JsonNode get(@PathParam("id") String id) {
    return roles.roles(id, owner());
  }

  @PUT
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary =
          "Map roles to existing mailboxes, e.g. {\"archive\": \"Old mail\"}; null returns a role"
              + " to detection. The mapping survives restarts and resyncs.")
  @APIResponse(responseCode = "200", description = "The roles after the change")
  @APIResponse(
      responseCode = "400",
      description = "An unknown role, or a path the account does not have",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public JsonNode put(@PathParam("id") String id, JsonNode mapping) {
    if (mapping == null || !mapping.isObject() || mapping.isEmpty()) {
      throw new GatewayException.InvalidRequest(
          "send an object of roles to mailbox paths, e.g." + " {\"archive\": \"Archive\"}",
          java.util.List.of(new Problem.FieldError("body", "no roles named")));
    }
    try {
      return roles.mapRoles(id, owner(), mapping);
    } finally {
      // Sends read Sent from a short cache: the owner's next send uses the new mapping, also when
      // the answer was lost on its way back (the mapping may have been stored all the same).
      sentMailboxes.forget(id);
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
