package dev.mailroom.gateway.verify;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.oidc.client.filter.OidcClientFilter;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * connector-service's internal verification: it opens the sealed password and tries the login, so
 * only the connector ever logs in. URL: {@code quarkus.rest-client.connector.url}.
 */
// The gateway's own service token (client credentials), never the user's: ADR 0007.
@OidcClientFilter
@RegisterRestClient(configKey = "connector")
@Path("/internal/verify")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public interface ConnectorClient {

  /**
   * @param request {@code {accountId, imap, password}} with the password sealed for accountId
   * @return {@code {verified, capabilities}} or {@code {verified:false, category, detail, remedy,
   *     certificateSha256}}
   */
  @POST
  JsonNode verify(JsonNode request);
}
