package dev.mailroom.connector.attachment;

import io.quarkus.logging.Log;
import io.smallrye.common.annotation.RunOnVirtualThread;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import org.jboss.logging.MDC;

/**
 * Internal API for the gateway: one body part of one message, decoded, streamed as it is fetched
 * (ADR 0011). Only the instance that holds the account serves it; the others answer 421 so the
 * gateway asks the next instance. Role {@code attachments.read} (application.properties).
 */
@Path("/internal/attachments/{accountId}")
public class AttachmentResource {

  private static final String PROBLEM = "application/problem+json";

  private final PartDownloads downloads;

  AttachmentResource(PartDownloads downloads) {
    this.downloads = downloads;
  }

  @GET
  @RunOnVirtualThread
  public Response download(
      @PathParam("accountId") String accountId,
      @QueryParam("mailbox") String mailbox,
      @QueryParam("uidValidity") String uidValidity,
      @QueryParam("uid") String uid,
      @QueryParam("section") String section) {
    PartRequest request;
    try {
      request = PartRequest.parse(accountId, mailbox, uidValidity, uid, section);
    } catch (IllegalArgumentException e) {
      return problem(400, "Bad download request", e.getMessage());
    }
    OpenedPart part;
    try {
      part = downloads.open(request);
    } catch (DownloadRefused e) {
      Response.ResponseBuilder answer =
          Response.status(e.status())
              .type(PROBLEM)
              .entity(body(e.status(), e.title(), e.getMessage()));
      if (e.retryAfter() != null) {
        answer.header(HttpHeaders.RETRY_AFTER, Math.max(1, e.retryAfter().toSeconds()));
      }
      return answer.build();
    }
    StreamingOutput stream = out -> stream(request, part, out);
    Response.ResponseBuilder ok =
        Response.ok(stream)
            .type(part.contentType())
            .header("X-Mailroom-Transfer-Encoding", part.encoding());
    part.length().ifPresent(n -> ok.header(HttpHeaders.CONTENT_LENGTH, n));
    return ok.build();
  }

  /**
   * Copies through a small buffer: what is held is the current chunk and this buffer. A failure
   * after the first octet cannot become a status any more; the response is cut short, which the
   * client sees as a broken transfer (chunked) or a short body (Content-Length).
   */
  private static void stream(PartRequest request, OpenedPart part, OutputStream out)
      throws IOException {
    long start = System.nanoTime();
    long sent = 0;
    MDC.put("accountId", request.account().toString());
    try (part;
        InputStream in = part.decoded()) {
      byte[] buffer = new byte[16384];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        out.write(buffer, 0, n);
        sent += n;
      }
      Log.infof(
          "attachment %s part %s of UID %s: %d octets (%d fetched, %s) in %d ms",
          request.mailbox(),
          request.section(),
          request.uid(),
          sent,
          part.fetched(),
          part.encoding(),
          (System.nanoTime() - start) / 1_000_000);
    } catch (IOException e) {
      Log.infof(
          "attachment %s part %s of UID %s ended after %d octets: %s",
          request.mailbox(), request.section(), request.uid(), sent, e.getMessage());
      throw e;
    } finally {
      MDC.remove("accountId");
    }
  }

  private static Response problem(int status, String title, String detail) {
    return Response.status(status).type(PROBLEM).entity(body(status, title, detail)).build();
  }

  private static Map<String, Object> body(int status, String title, String detail) {
    return Map.of("type", "about:blank", "title", title, "status", status, "detail", detail);
  }
}
