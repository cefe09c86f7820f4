package dev.mailroom.gateway.health;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.oidc.client.filter.OidcClientFilter;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** health-service's internal API. URL: {@code quarkus.rest-client.health.url}. */
// The gateway's own service token (client credentials), never the user's: ADR 0007.
@OidcClientFilter
@RegisterRestClient(configKey = "health")
@Path("/internal/accounts/{id}")
@Produces(MediaType.APPLICATION_JSON)
public interface HealthServiceClient {

  /**
   * {@code {state, failingSince, disconnectedAt, lastEventAt, lastCategory, lastDetail,
   * capabilities}}; 404 before the first attempt.
   */
  @GET
  @Path("/health")
  JsonNode health(@PathParam("id") String accountId);

  /** 202 when a disconnected account is to be retried; 409 when it is not disconnected. */
  @POST
  @Path("/reconnect")
  JsonNode reconnect(@PathParam("id") String accountId);
}
