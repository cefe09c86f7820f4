package dev.mailroom.gateway.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mailroom.events.EventCodec;
import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.events.account.ImapEndpoint;
import dev.mailroom.gateway.problem.GatewayException;
import dev.mailroom.gateway.problem.Problem;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Asks the connector whether {@code proposed} serves the same mailbox as the account's current
 * server, and turns every answer but "same" into the problem the admin reads.
 */
@ApplicationScoped
public class SameMailboxVerifier {

  private final SameMailboxClient connector;

  @Inject
  public SameMailboxVerifier(@RestClient SameMailboxClient connector) {
    this.connector = connector;
  }

  /**
   * Returns when the connector found the same mailbox.
   *
   * @throws GatewayException.Conflict when it is a different mailbox, or the current server could
   *     not be read to compare with
   * @throws GatewayException.Unprocessable when the new server refused the login
   * @throws GatewayException.Unavailable when the connector cannot be asked
   */
  public void verify(AccountDefined account, ImapEndpoint proposed) {
    ObjectNode request = EventCodec.mapper().createObjectNode();
    request.put("accountId", account.accountId().toString());
    request.set("current", EventCodec.mapper().valueToTree(account.imap()));
    request.set("proposed", EventCodec.mapper().valueToTree(proposed));
    request.set("password", EventCodec.mapper().valueToTree(account.password()));
    JsonNode result;
    try {
      result = connector.check(request);
    } catch (WebApplicationException | ProcessingException e) {
      Log.warnf("connector-service cannot compare mailboxes: %s", e.getMessage());
      throw GatewayException.Unavailable.connector(e);
    }
    String outcome = result == null ? "" : result.path("outcome").asText("");
    String reason = result == null ? null : result.path("reason").asText(null);
    switch (outcome) {
      case "SAME" -> {
        return;
      }
      case "DIFFERENT" ->
          throw new GatewayException.Conflict(
              "different-mailbox",
              reason != null
                  ? reason
                  : "the new host serves a different mailbox; connect it as a new account");
      case "CURRENT_FAILED" ->
          throw new GatewayException.Conflict(
              "current-host-unreadable", reason + "; nothing was changed", failure(result));
      case "PROPOSED_FAILED" ->
          throw new GatewayException.Unprocessable(
              "connection-failed",
              "The connection could not be verified",
              reason
                  + " ("
                  + result.path("category").asText("PROTOCOL_ERROR")
                  + "). "
                  + result.path("remedy").asText(""),
              failure(result));
      default -> {
        Log.warnf("connector-service answered the mailbox comparison with outcome '%s'", outcome);
        throw GatewayException.Unavailable.connector(null);
      }
    }
  }

  private static Problem.ConnectionFailure failure(JsonNode result) {
    return new Problem.ConnectionFailure(
        result.path("category").asText("PROTOCOL_ERROR"),
        result.path("detail").asText(null),
        result.path("remedy").asText(null),
        result.path("certificateSha256").asText(null));
  }
}
