package dev.mailroom.gateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers as sync-service's internal API would, from the same Quarkus app, so the tests of the
 * gateway need no sync-service. The %test profile points the {@code sync} REST client here.
 */
@Path("/fake-sync/internal/accounts")
@Produces(MediaType.APPLICATION_JSON)
public class FakeSyncResource {

  /** Accounts by id, as sync-service would store them (with ownerId). */
  public static final Map<String, ObjectNode> ACCOUNTS = new ConcurrentHashMap<>();

  /** Accounts whose mailbox list has a Sent mailbox (role sent) besides INBOX. */
  public static final java.util.Set<String> WITH_SENT = ConcurrentHashMap.newKeySet();

  /** While set, every call answers 503, as a sync-service that is starting or overloaded. */
  public static volatile boolean down;

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  public static ObjectNode store(String id, String ownerId, String displayName) {
    ObjectNode account =
        JSON.objectNode()
            .put("id", id)
            .put("ownerId", ownerId)
            .put("displayName", displayName)
            .put("host", "imap.example.com")
            .put("port", 993)
            .put("security", "tls")
            .put("username", "someone")
            .put("status", "connected");
    ACCOUNTS.put(id, account);
    return account;
  }

  @GET
  public Response accountsOf(@QueryParam("owner") String owner) {
    if (down) {
      return Response.status(503).build();
    }
    ArrayNode owned = JSON.arrayNode();
    ACCOUNTS.values().stream()
        .filter(a -> a.path("ownerId").asText().equals(owner))
        .forEach(owned::add);
    return Response.ok(owned).build();
  }

  @GET
  @Path("/{id}")
  public Response account(@PathParam("id") String id) {
    if (down) {
      return Response.status(503).build();
    }
    JsonNode account = ACCOUNTS.get(id);
    return account == null ? Response.status(404).build() : Response.ok(account).build();
  }

  @GET
  @Path("/{id}/mailboxes")
  public Response mailboxes(@PathParam("id") String id) {
    if (!ACCOUNTS.containsKey(id)) {
      return Response.status(404).build();
    }
    ArrayNode mailboxes = JSON.arrayNode();
    mailboxes
        .addObject()
        .put("path", "INBOX")
        .put("role", "inbox")
        .put("total", 3)
        .put("unread", 1)
        .put("uidValidity", 4_294_967_295L)
        .put("uidNext", 4)
        .put("highestModSeq", 9_007_199_254_740_993L);
    if (WITH_SENT.contains(id)) {
      mailboxes
          .addObject()
          .put("path", "Sent")
          .put("role", "sent")
          .put("total", 0)
          .put("unread", 0)
          .put("uidValidity", 1)
          .put("uidNext", 1);
    }
    return Response.ok(mailboxes).build();
  }

  /** Echoes what it was asked, so a test can see what the gateway forwarded. */
  @GET
  @Path("/{id}/messages")
  public Response messages(
      @PathParam("id") String id,
      @QueryParam("mailbox") String mailbox,
      @QueryParam("limit") Integer limit,
      @QueryParam("cursor") String cursor) {
    if (!ACCOUNTS.containsKey(id)) {
      return Response.status(404).build();
    }
    ObjectNode page = JSON.objectNode();
    page.putArray("items")
        .addObject()
        .put("uid", 3)
        .put("subject", "asked for " + mailbox + " limit " + limit + " cursor " + cursor);
    page.put("nextCursor", cursor == null ? "page-2" : null);
    return Response.ok(page).build();
  }

  /** Stored messages by identity, for replies ({@code inReplyTo}). */
  public static final Map<String, ObjectNode> MESSAGES = new ConcurrentHashMap<>();

  /** The outbox as sync-service keeps it: queued requests by outbox id, ids by idempotency key. */
  public static final Map<String, JsonNode> OUTBOX = new ConcurrentHashMap<>();

  private static final Map<String, String> OUTBOX_KEYS = new ConcurrentHashMap<>();

  @GET
  @Path("/{id}/messages/{identity}")
  public Response message(@PathParam("id") String id, @PathParam("identity") String identity) {
    ObjectNode message = MESSAGES.get(identity);
    return message == null ? Response.status(404).build() : Response.ok(message).build();
  }

  @jakarta.ws.rs.POST
  @Path("/{id}/outbox")
  @jakarta.ws.rs.Consumes(MediaType.APPLICATION_JSON)
  public Response queue(@PathParam("id") String id, JsonNode request) {
    String key = request.path("idempotencyKey").asText(null);
    String outboxId = request.path("id").asText();
    if (key != null) {
      String first = OUTBOX_KEYS.putIfAbsent(id + "/" + key, outboxId);
      if (first != null) {
        return Response.ok(view(OUTBOX.get(first))).build();
      }
    }
    OUTBOX.put(outboxId, request);
    return Response.status(201).entity(view(request)).build();
  }

  @GET
  @Path("/{id}/outbox/{outboxId}")
  public Response outboxMessage(
      @PathParam("id") String id, @PathParam("outboxId") String outboxId) {
    JsonNode request = OUTBOX.get(outboxId);
    return request == null ? Response.status(404).build() : Response.ok(view(request)).build();
  }

  private static ObjectNode view(JsonNode request) {
    return JSON.objectNode()
        .put("id", request.path("id").asText())
        .put("state", "queued")
        .put("messageId", request.path("messageId").asText());
  }
}
