package dev.mailroom.gateway.send;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailroom.gateway.problem.GatewayException;
import dev.mailroom.gateway.problem.Problem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/** Sending mail: an account's outbox. */
@Path("/api/accounts/{id}/outbox")
@RolesAllowed({"user", "admin"})
@Produces(MediaType.APPLICATION_JSON)
@Tag(
    name = "outbox",
    description = "Sending mail through the account's SMTP server, with a copy in Sent")
@APIResponse(
    responseCode = "404",
    description = "No such account among the caller's",
    content =
        @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class OutboxResource {

  private final JsonWebToken token;
  private final Outbox outbox;

  @Inject
  OutboxResource(JsonWebToken token, Outbox outbox) {
    this.token = token;
    this.outbox = outbox;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Queue a message for sending (JSON, attachments base64)",
      description =
          "Checked, built and queued; the connector sends it and appends the copy to the mailbox"
              + " that plays the Sent role (the owner's mapping first). A"
              + " request repeated with the same Idempotency-Key answers with the first message and never"
              + " sends twice.")
  @APIResponse(
      responseCode = "202",
      description = "Queued (or already queued under this Idempotency-Key)")
  @APIResponse(
      responseCode = "400",
      description =
          "A field is wrong (address, line break in a header field,"
              + " too many recipients, larger than the server's SIZE): the problem names it; nothing is queued",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "409",
      description =
          "The account has no SMTP server or no address to send from (sending-not-configured), or"
              + " no mailbox plays the Sent role where the copy goes (mailboxes-not-configured, naming"
              + " sent; map one with PUT /api/accounts/{id}/roles)",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public Response send(
      @PathParam("id") String id,
      @HeaderParam("Idempotency-Key") String idempotencyKey,
      OutgoingMessage message) {
    if (message == null) {
      throw new GatewayException.MalformedBody("a JSON body is required", List.of());
    }
    return accepted(id, outbox.queue(id, owner(), message, idempotencyKey));
  }

  @POST
  @Consumes(MediaType.MULTIPART_FORM_DATA)
  @Operation(
      summary = "Queue a message for sending (multipart form, attachments as files)",
      description =
          "Fields as in the JSON form (to, cc, bcc repeated once per address); each file in a"
              + " part named attachment.")
  @APIResponse(
      responseCode = "202",
      description = "Queued (or already queued under this Idempotency-Key)")
  public Response sendForm(
      @PathParam("id") String id,
      @HeaderParam("Idempotency-Key") String idempotencyKey,
      @RestForm("to") List<String> to,
      @RestForm("cc") List<String> cc,
      @RestForm("bcc") List<String> bcc,
      @RestForm("subject") String subject,
      @RestForm("text") String text,
      @RestForm("html") String html,
      @RestForm("inReplyTo") String inReplyTo,
      @RestForm("attachment") List<FileUpload> files)
      throws IOException {
    List<OutgoingMessage.Attachment> attachments = new ArrayList<>();
    for (FileUpload f : files == null ? List.<FileUpload>of() : files) {
      attachments.add(
          new OutgoingMessage.Attachment(
              f.fileName(), mediaType(f.contentType()), Files.readAllBytes(f.uploadedFile())));
    }
    OutgoingMessage message =
        new OutgoingMessage(to, cc, bcc, subject, text, html, inReplyTo, attachments);
    return accepted(id, outbox.queue(id, owner(), message, idempotencyKey));
  }

  @GET
  @Operation(summary = "The account's latest outbox messages and where each stands")
  public JsonNode list(@PathParam("id") String id) {
    return outbox.list(id, owner());
  }

  @GET
  @Path("/{outboxId}")
  @Operation(
      summary =
          "One outbox message: queued, retrying (with the last reply and the next attempt),"
              + " sent (with the server's reply and the Sent copy) or failed (with the server's words)")
  public JsonNode get(@PathParam("id") String id, @PathParam("outboxId") String outboxId) {
    return outbox.get(id, owner(), outboxId);
  }

  private static Response accepted(String accountId, Outbox.Queued queued) {
    return Response.accepted(queued.view())
        .header(
            "Location",
            "/api/accounts/" + accountId + "/outbox/" + queued.view().path("id").asText())
        .header("Idempotent-Replayed", String.valueOf(queued.replayed()))
        .build();
  }

  /** A file part's type without parameters ("text/plain; charset=x" -> "text/plain"). */
  private static String mediaType(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      return null;
    }
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
  }

  private String owner() {
    String subject = token.getSubject();
    if (subject == null || subject.isBlank()) {
      throw new GatewayException.Forbidden("the access token names no subject (sub)");
    }
    return subject;
  }
}
