package dev.mailroom.gateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Answers as connector-service's same-mailbox check would (the real one is tested in
 * connector-service against Dovecot). By the proposed host: {@code same.example} is the same
 * mailbox, {@code down.example} refuses the login, any other is a different mailbox; a current host
 * {@code gone.example} cannot be read.
 */
@Path("/fake-connector/internal/accounts/verify-same-mailbox")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class FakeSameMailboxResource {

  /** Every request as it arrived, to check that the password only ever came sealed. */
  public static final List<String> REQUESTS = new CopyOnWriteArrayList<>();

  /** The Authorization header of every request: the gateway's own token, never the user's. */
  public static final List<String> AUTHORIZATIONS = new CopyOnWriteArrayList<>();

  @POST
  public JsonNode check(
      JsonNode request, @jakarta.ws.rs.HeaderParam("Authorization") String authorization) {
    REQUESTS.add(request.toString());
    AUTHORIZATIONS.add(String.valueOf(authorization));
    ObjectNode result = JsonNodeFactory.instance.objectNode();
    String proposed = request.path("proposed").path("host").asText();
    if ("gone.example".equals(request.path("current").path("host").asText())) {
      return result
          .put("outcome", "CURRENT_FAILED")
          .put(
              "reason",
              "the current host gone.example could not be read, so the new host cannot be"
                  + " shown to serve the same mailbox; try again once the current host answers, or"
                  + " connect the new host as a new account")
          .put("category", "HOST_UNREACHABLE")
          .put("remedy", "Check the host name and port.");
    }
    if ("same.example".equals(proposed)) {
      return result
          .put("outcome", "SAME")
          .put("reason", "same INBOX UIDVALIDITY and 3 of the newest 3");
    }
    if ("down.example".equals(proposed)) {
      return result
          .put("outcome", "PROPOSED_FAILED")
          .put(
              "reason",
              "the new host down.example could not be logged in to with the account's"
                  + " credentials; nothing was changed")
          .put("category", "AUTHENTICATION_FAILED")
          .put("remedy", "Check the password.");
    }
    return result
        .put("outcome", "DIFFERENT")
        .put(
            "reason",
            "the new host serves a different mailbox: its INBOX has another UIDVALIDITY"
                + " (2 instead of 1); connect it as a new account");
  }
}
