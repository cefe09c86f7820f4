package dev.mailroom.gateway.sync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailroom.gateway.problem.GatewayException;
import io.quarkus.logging.Log;
import jakarta.ws.rs.WebApplicationException;
import java.util.function.Supplier;

/** A call to the message store (sync-service), its failures told as the gateway tells them. */
public final class StoreCalls {

  private StoreCalls() {}

  /** A call whose 404 says only that the store does not have it. */
  public static JsonNode call(Supplier<JsonNode> request) {
    return call(request, "not found in the message store");
  }

  /**
   * @param notFound what a 404 tells the caller
   * @throws GatewayException.NotFound on a 404
   * @throws GatewayException.Unavailable on a 5xx or when the store cannot be reached
   * @throws GatewayException.UpstreamFailed on any other refusal
   */
  public static JsonNode call(Supplier<JsonNode> request, String notFound) {
    try {
      return request.get();
    } catch (WebApplicationException e) {
      int status = e.getResponse().getStatus();
      if (status == 404) {
        throw new GatewayException.NotFound(notFound);
      }
      if (status >= 500) {
        throw GatewayException.Unavailable.messageStore(e);
      }
      Log.warnf("sync-service answered %d", status);
      throw new GatewayException.UpstreamFailed(
          "the message store answered with an error (HTTP " + status + "); try again later");
    } catch (GatewayException e) {
      throw e;
    } catch (RuntimeException e) {
      throw GatewayException.Unavailable.messageStore(e);
    }
  }
}
