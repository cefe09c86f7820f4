package dev.mailroom.gateway.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailroom.gateway.problem.GatewayException;
import jakarta.ws.rs.WebApplicationException;
import java.util.function.Supplier;

/** A call to the message store (sync-service), its failures told as the gateway tells them. */
final class StoreCalls {

  private StoreCalls() {}

  /**
   * @throws GatewayException.NotFound on a 404
   * @throws GatewayException.Unavailable on a 5xx or when the store cannot be reached
   * @throws GatewayException.UpstreamFailed on any other refusal
   */
  static JsonNode call(Supplier<JsonNode> request) {
    try {
      return request.get();
    } catch (WebApplicationException e) {
      int status = e.getResponse().getStatus();
      if (status == 404) {
        throw new GatewayException.NotFound("not found in the message store");
      }
      if (status >= 500) {
        throw GatewayException.Unavailable.messageStore(e);
      }
      throw new GatewayException.UpstreamFailed(
          "the message store answered HTTP " + status + " to an action");
    } catch (GatewayException e) {
      throw e;
    } catch (RuntimeException e) {
      throw GatewayException.Unavailable.messageStore(e);
    }
  }
}
