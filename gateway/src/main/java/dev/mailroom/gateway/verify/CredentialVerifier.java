package dev.mailroom.gateway.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mailroom.events.EventCodec;
import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.gateway.problem.GatewayException;
import dev.mailroom.gateway.problem.Problem;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Asks the connector to log in with an account's settings before the account is saved. The password
 * goes there sealed, as it will travel on Kafka; the gateway never logs in itself.
 */
@ApplicationScoped
public class CredentialVerifier {

  private final ConnectorClient connector;

  @Inject
  public CredentialVerifier(@RestClient ConnectorClient connector) {
    this.connector = connector;
  }

  /**
   * @return the SMTP server's SIZE limit in bytes, or null (no SMTP server, or no limit announced)
   * @throws GatewayException.Unprocessable when the login failed, with category and remedy
   * @throws GatewayException.Unavailable when the connector cannot be asked
   */
  public Long verify(AccountDefined account, String appPasswordHint) {
    ObjectNode request = EventCodec.mapper().createObjectNode();
    request.put("accountId", account.accountId().toString());
    request.set("imap", EventCodec.mapper().valueToTree(account.imap()));
    request.set("password", EventCodec.mapper().valueToTree(account.password()));
    if (account.smtp() != null) {
      request.set("smtp", EventCodec.mapper().valueToTree(account.smtp()));
      if (account.smtpPassword() != null) {
        request.set("smtpPassword", EventCodec.mapper().valueToTree(account.smtpPassword()));
      }
      if (account.email() != null) {
        // The connector asks the SMTP server whether it takes mail from this address.
        request.put("email", account.email());
      }
    }
    JsonNode result;
    try {
      result = connector.verify(request);
    } catch (WebApplicationException | ProcessingException e) {
      Log.warnf("connector-service cannot verify credentials: %s", e.getMessage());
      throw GatewayException.Unavailable.connector(e);
    }
    if (result != null && result.path("verified").asBoolean(false)) {
      return result.hasNonNull("smtpMaxSize") ? result.path("smtpMaxSize").asLong() : null;
    }
    String category =
        result == null ? "PROTOCOL_ERROR" : result.path("category").asText("PROTOCOL_ERROR");
    String remedy = result == null ? null : result.path("remedy").asText(null);
    if ("AUTHENTICATION_FAILED".equals(category) && appPasswordHint != null) {
      remedy = remedy + " " + appPasswordHint;
    }
    String fingerprint = result == null ? null : result.path("certificateSha256").asText(null);
    String server = result == null ? null : result.path("server").asText(null);
    String which = "smtp".equals(server) ? "SMTP" : "IMAP";
    throw new GatewayException.Unprocessable(
        "connection-failed",
        "The connection could not be verified",
        "Mailroom could not log in to the "
            + which
            + " server with these settings ("
            + category
            + "): nothing was saved. "
            + remedy,
        new Problem.ConnectionFailure(
            category,
            result == null ? null : result.path("detail").asText(null),
            remedy,
            fingerprint,
            server));
  }
}
