package dev.mailroom.gateway.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mailroom.events.connection.FailureCategory;
import dev.mailroom.events.connection.Remedies;
import dev.mailroom.gateway.problem.GatewayException;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Puts health-service's view of an account into the account's JSON: {@code status} (pending,
 * connected, degraded, disconnected, reconnecting, or unknown when health-service does not answer)
 * and {@code lastError} with the category, the server's words and the remedy.
 */
@ApplicationScoped
public class AccountStatus {

  private final HealthServiceClient health;

  @Inject
  public AccountStatus(@RestClient HealthServiceClient health) {
    this.health = health;
  }

  public ObjectNode merge(ObjectNode account) {
    String id = account.path("id").asText();
    JsonNode h;
    try {
      h = health.health(id);
    } catch (WebApplicationException e) {
      if (e.getResponse().getStatus() == 404) {
        account.put("status", "pending");
        return account;
      }
      return unknown(account, e);
    } catch (ProcessingException e) {
      return unknown(account, e);
    }
    account.put("status", h.path("state").asText("unknown"));
    putIfPresent(account, "failingSince", h.get("failingSince"));
    putIfPresent(account, "disconnectedAt", h.get("disconnectedAt"));
    String category = h.path("lastCategory").asText(null);
    if (category != null) {
      ObjectNode error = account.putObject("lastError");
      error.put("category", category);
      error.put("detail", h.path("lastDetail").asText(null));
      try {
        error.put("remedy", Remedies.of(FailureCategory.valueOf(category)));
      } catch (IllegalArgumentException newerCategory) {
        error.putNull("remedy");
      }
    }
    return account;
  }

  /**
   * @throws GatewayException.Conflict when the account is not disconnected
   */
  public void reconnect(String accountId) {
    try {
      health.reconnect(accountId);
    } catch (WebApplicationException e) {
      int status = e.getResponse().getStatus();
      if (status == 409 || status == 404) {
        throw new GatewayException.Conflict(
            "not-disconnected",
            "the account is not disconnected: Mailroom is still trying to connect it, so there is"
                + " nothing to reconnect");
      }
      throw GatewayException.Unavailable.health(e);
    } catch (ProcessingException e) {
      throw GatewayException.Unavailable.health(e);
    }
  }

  private static ObjectNode unknown(ObjectNode account, Exception e) {
    Log.warnf(
        "health-service did not give the status of account %s: %s",
        account.path("id").asText(), e.getMessage());
    account.put("status", "unknown");
    return account;
  }

  private static void putIfPresent(ObjectNode account, String name, JsonNode value) {
    if (value != null && !value.isNull()) {
      account.set(name, value);
    }
  }
}
