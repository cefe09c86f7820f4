package dev.mailroom.gateway.search;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailroom.gateway.problem.GatewayException;
import dev.mailroom.gateway.problem.Problem;
import io.quarkus.logging.Log;
import jakarta.ws.rs.WebApplicationException;
import java.util.List;
import java.util.function.Supplier;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** What both search resources share: calling search-service and naming the caller. */
final class SearchCalls {

  private SearchCalls() {}

  static JsonNode call(Supplier<JsonNode> request) {
    try {
      return request.get();
    } catch (WebApplicationException e) {
      int status = e.getResponse().getStatus();
      if (status == 400) {
        String detail = "the query was refused";
        try {
          detail = e.getResponse().readEntity(JsonNode.class).path("detail").asText(detail);
        } catch (RuntimeException unreadable) {
          // keep the generic detail
        }
        throw new GatewayException.InvalidRequest(
            detail, List.of(new Problem.FieldError("q", detail)));
      }
      if (status == 503 || status == 502 || status == 504) {
        throw GatewayException.Unavailable.search(e);
      }
      Log.warnf("search-service answered %d", status);
      throw new GatewayException.UpstreamFailed(
          "search answered with an error (HTTP " + status + "); try again later");
    } catch (GatewayException e) {
      throw e;
    } catch (RuntimeException e) {
      throw GatewayException.Unavailable.search(e);
    }
  }

  /** The owner is the token's subject, never a field of the request. */
  static String owner(JsonWebToken token) {
    String subject = token.getSubject();
    if (subject == null || subject.isBlank()) {
      throw new GatewayException.Forbidden(
          "the token has no subject (sub claim), so the accounts it may see cannot be told");
    }
    return subject;
  }
}
