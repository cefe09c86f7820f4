package dev.mailroom.gateway.message;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailroom.gateway.problem.GatewayException;
import dev.mailroom.gateway.problem.Problem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** One message, and the conversation it belongs to, from the store. */
@Path("/api/accounts")
@RolesAllowed({"user", "admin"})
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "messages", description = "Messages and conversations of an account")
@APIResponse(responseCode = "401", description = "No valid bearer token")
@APIResponse(
    responseCode = "404",
    description = "No such account among the caller's, or no such message or conversation in it",
    content =
        @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(
    responseCode = "503",
    description = "The message store is not reachable; retry after Retry-After",
    content =
        @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class MessageResource {

  private final JsonWebToken token;
  private final MessageDetails details;

  @Inject
  public MessageResource(JsonWebToken token, MessageDetails details) {
    this.token = token;
    this.details = details;
  }

  /**
   * The message as stored: envelope headers (Message-ID, subject, from, to, cc, date, In-Reply-To,
   * References), the text and HTML bodies (cut at the store's limit), the attachment list (part,
   * file name, type, size; the content stays on the server), its thread and every mailbox it is in
   * with its flags there. {@code id} is the {@code id} of a message in a page of messages.
   */
  @GET
  @Path("/{id}/messages/{messageId}")
  @APIResponse(responseCode = "200", description = "The message with its bodies and attachments")
  public JsonNode message(@PathParam("id") String id, @PathParam("messageId") String messageId) {
    return details.message(id, owner(), messageId);
  }

  /**
   * Every message of a thread (by Message-ID, In-Reply-To and References, RFC 5322 §3.6.4), oldest
   * first; a message in two mailboxes appears once per mailbox. {@code threadId} is the {@code
   * threadId} of a message.
   */
  @GET
  @Path("/{id}/conversations/{threadId}")
  @APIResponse(responseCode = "200", description = "{\"threadId\": ..., \"messages\": [...]}")
  public JsonNode conversation(@PathParam("id") String id, @PathParam("threadId") String threadId) {
    return details.conversation(id, owner(), threadId);
  }

  private String owner() {
    String subject = token.getSubject();
    if (subject == null || subject.isBlank()) {
      throw new GatewayException.Forbidden(
          "the token has no subject (sub claim), so the accounts it may see cannot be told");
    }
    return subject;
  }
}
