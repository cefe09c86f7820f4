package dev.mailroom.gateway.testing;

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
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Answers as search-service's internal API would (its own tests run it on the real Kafka,
 * PostgreSQL and Dovecot), and records which accounts it was asked about: the gateway's job here is
 * the owner check and passing answers and refusals through.
 */
@Path("/fake-search/internal/search")
@Produces(MediaType.APPLICATION_JSON)
public class FakeSearchResource {

  public static final List<String> ASKED = new CopyOnWriteArrayList<>();
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  @GET
  @Path("/accounts/{id}")
  public Response account(
      @PathParam("id") String id, @QueryParam("q") String q, @QueryParam("cursor") String cursor) {
    ASKED.add(id);
    if (q == null || q.isBlank()) {
      return Response.status(400)
          .type("application/problem+json")
          .entity(Map.of("status", 400, "detail", "the query is empty: give at least one word"))
          .build();
    }
    return Response.ok(answer(id, q)).build();
  }

  @GET
  public Response accounts(
      @QueryParam("q") String q, @QueryParam("account") List<String> accounts) {
    ObjectNode out = JSON.objectNode().put("query", q).put("tookMillis", 3);
    var parts = out.putArray("accounts");
    accounts.forEach(
        id -> {
          ASKED.add(id);
          parts.add(answer(id, q));
        });
    return Response.ok(out).build();
  }

  private static ObjectNode answer(String id, String q) {
    ObjectNode a =
        JSON.objectNode()
            .put("accountId", id)
            .put("route", "local")
            .put("partial", false)
            .put("tookMillis", 4);
    a.putArray("notes");
    a.putArray("results")
        .addObject()
        .put("identity", "mid:x")
        .put("mailbox", "INBOX")
        .put("uidValidity", 1)
        .put("uid", 7)
        .put("subject", "about " + q);
    a.putNull("nextCursor");
    return a;
  }
}
