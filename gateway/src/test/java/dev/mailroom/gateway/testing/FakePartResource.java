package dev.mailroom.gateway.testing;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Answers as connector-service's attachment endpoint would (the real one is tested in
 * connector-service against Dovecot): UID 42 holds part 2, {@link #SIZE} octets of {@link
 * #content}, streamed in small writes; UID 43 is gone (410); any other part is missing (404). Under
 * {@code /fake-elsewhere} it is an instance that holds no account (421).
 */
@Path("/")
public class FakePartResource {

  public static final int SIZE = 5 * 1024 * 1024 + 17;

  /** Every download request that reached the holder: its query and whether it had a bearer. */
  public static final List<String> ASKED = new CopyOnWriteArrayList<>();

  /** The octets of part 2, from a seed, so a test can compare without holding them twice. */
  public static byte[] content() {
    byte[] all = new byte[SIZE];
    new Random(42).nextBytes(all);
    return all;
  }

  @GET
  @Path("/fake-elsewhere/internal/attachments/{accountId}")
  public Response elsewhere(@PathParam("accountId") String accountId) {
    return problem(421, "account " + accountId + " is not held by this instance");
  }

  @GET
  @Path("/fake-connector/internal/attachments/{accountId}")
  public Response holder(
      @PathParam("accountId") String accountId,
      @HeaderParam("Authorization") String authorization,
      @QueryParam("mailbox") String mailbox,
      @QueryParam("uidValidity") long uidValidity,
      @QueryParam("uid") long uid,
      @QueryParam("section") String section) {
    ASKED.add(
        mailbox
            + "/"
            + uidValidity
            + "/"
            + uid
            + "/"
            + section
            + " bearer="
            + (authorization != null && authorization.startsWith("Bearer ")));
    if (uid == 43) {
      return problem(410, "message UID 43 is no longer in mailbox " + mailbox);
    }
    if (uid != 42 || !"2".equals(section)) {
      return problem(404, "the message has no part " + section);
    }
    StreamingOutput body =
        out -> {
          byte[] all = content();
          for (int at = 0; at < all.length; at += 65536) {
            out.write(all, at, Math.min(65536, all.length - at));
          }
        };
    return Response.ok(body).type("application/pdf").build();
  }

  private static Response problem(int status, String detail) {
    return Response.status(status)
        .type("application/problem+json")
        .entity(Map.of("status", status, "detail", detail))
        .build();
  }
}
