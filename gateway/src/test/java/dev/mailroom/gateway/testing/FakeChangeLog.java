package dev.mailroom.gateway.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Answers as sync-service's change log and conversation endpoints would, for the accounts of {@link
 * FakeSyncResource}; the long poll waits as the real one does.
 */
@Path("/fake-sync/internal/accounts")
@Produces(MediaType.APPLICATION_JSON)
public class FakeChangeLog {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final AtomicLong SEQ = new AtomicLong();
  private static final Map<String, List<ObjectNode>> LOG = new ConcurrentHashMap<>();

  /** Appends a change to the account's log, as a committed transaction of sync-service would. */
  public static long append(String accountId, String kind, String mailbox, long uid) {
    long seq = SEQ.incrementAndGet();
    LOG.computeIfAbsent(accountId, a -> new CopyOnWriteArrayList<>())
        .add(
            JSON.objectNode()
                .put("seq", seq)
                .put("kind", kind)
                .put("mailbox", mailbox)
                .put("uidValidity", 7)
                .put("uid", uid)
                .put("id", "mid:" + uid)
                .put("at", "2026-12-06T10:00:00Z"));
    return seq;
  }

  /**
   * Appends a change without a mailbox, as sync-service logs a command's outcome or a send: null
   * location fields and the facts in {@code payload}.
   */
  public static long appendPayload(String accountId, String kind, ObjectNode payload) {
    long seq = SEQ.incrementAndGet();
    ObjectNode change =
        JSON.objectNode().put("seq", seq).put("kind", kind).putNull("mailbox").putNull("uid");
    change.put("at", "2026-12-06T10:00:00Z").set("payload", payload);
    LOG.computeIfAbsent(accountId, a -> new CopyOnWriteArrayList<>()).add(change);
    return seq;
  }

  @GET
  @Path("/{id}/changes")
  public Response changes(
      @PathParam("id") String id,
      @QueryParam("after") long after,
      @QueryParam("limit") int limit,
      @QueryParam("wait") int wait)
      throws InterruptedException {
    if (!FakeSyncResource.ACCOUNTS.containsKey(id)) {
      return Response.status(404).build();
    }
    long deadline = System.nanoTime() + Math.min(wait, 2) * 1_000_000_000L;
    while (true) {
      ArrayNode changes = JSON.arrayNode();
      LOG.getOrDefault(id, List.of()).stream()
          .filter(c -> c.path("seq").asLong() > after)
          .limit(limit)
          .forEach(changes::add);
      if (!changes.isEmpty() || System.nanoTime() > deadline) {
        ObjectNode page = JSON.objectNode();
        page.set("changes", changes);
        page.put(
            "cursor",
            changes.isEmpty() ? after : changes.get(changes.size() - 1).path("seq").asLong());
        return Response.ok(page).build();
      }
      Thread.sleep(20);
    }
  }

  @GET
  @Path("/{id}/changes/head")
  public Response head(@PathParam("id") String id) {
    long max =
        LOG.getOrDefault(id, List.of()).stream()
            .mapToLong(c -> c.path("seq").asLong())
            .max()
            .orElse(0);
    return Response.ok(JSON.objectNode().put("cursor", max)).build();
  }

  @GET
  @Path("/{id}/conversations/{threadId}")
  public Response conversation(@PathParam("id") String id, @PathParam("threadId") String threadId) {
    if (!FakeSyncResource.ACCOUNTS.containsKey(id) || !threadId.equals("t1")) {
      return Response.status(404).build();
    }
    ObjectNode c = JSON.objectNode().put("threadId", threadId);
    c.putArray("messages").addObject().put("id", "mid:1").put("subject", "Quarterly report");
    return Response.ok(c).build();
  }
}
