package dev.mailroom.gateway.attachment;

import dev.mailroom.gateway.problem.GatewayException;
import dev.mailroom.gateway.problem.Problem;
import io.smallrye.common.annotation.RunOnVirtualThread;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.InputStream;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** An attachment's content, streamed from the account's mail server through the connector. */
@Path("/api/accounts")
@RolesAllowed({"user", "admin"})
@Tag(name = "messages", description = "Messages and conversations of an account")
public class AttachmentResource {

  private final JsonWebToken token;
  private final AttachmentDownload download;

  @Inject
  public AttachmentResource(JsonWebToken token, AttachmentDownload download) {
    this.token = token;
    this.download = download;
  }

  /**
   * The content of one attachment, decoded (base64 and quoted-printable undone), as a download.
   * {@code part} is the {@code part} of an entry in the message's {@code attachments}. The octets
   * come from the mail server as they are sent, never held whole by Mailroom; the length is sent
   * ahead only when the server's size is already the decoded size, else the body is chunked.
   */
  @GET
  @Path("/{id}/messages/{messageId}/attachments/{part}")
  @RunOnVirtualThread
  @APIResponse(
      responseCode = "200",
      description = "The attachment, with Content-Disposition: attachment and its file name",
      headers = {
        @Header(
            name = "Content-Disposition",
            description = "attachment; filename=...; filename*=UTF-8''..."),
        @Header(name = "Content-Length", description = "Only when known before the download")
      },
      content =
          @Content(
              mediaType = "application/octet-stream",
              schema = @Schema(type = SchemaType.STRING, format = "binary")))
  @APIResponse(responseCode = "401", description = "No valid bearer token")
  @APIResponse(
      responseCode = "404",
      description =
          "No such account among the caller's, no such message in it, or no attachment at that part",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "410",
      description =
          "The message is no longer where the store saw it on the server (moved, deleted, or its"
              + " mailbox renumbered); reload the message",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "429",
      description = "Too many downloads of this account at once; retry after Retry-After",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "502",
      description = "The account's mail server could not be read; the detail says why",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "503",
      description =
          "The store or the connector is not reachable, or the account is between connector instances; retry after Retry-After",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public Response attachment(
      @PathParam("id") String id,
      @PathParam("messageId") String messageId,
      @PathParam("part") String part) {
    AttachmentDownload.Part found = download.open(id, owner(), messageId, part);
    InputStream body = found.body();
    StreamingOutput stream =
        out -> {
          try (body) {
            body.transferTo(out);
          }
        };
    Response.ResponseBuilder ok =
        Response.ok(stream)
            .type(found.contentType())
            .header("Content-Disposition", ContentDisposition.attachment(found.filename()))
            // The type is the sender's word: never sniffed, never rendered as a page of this
            // origin.
            .header("X-Content-Type-Options", "nosniff")
            .header("Content-Security-Policy", "sandbox")
            .header(HttpHeaders.CACHE_CONTROL, "private, no-store");
    found.length().ifPresent(n -> ok.header(HttpHeaders.CONTENT_LENGTH, n));
    return ok.build();
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
