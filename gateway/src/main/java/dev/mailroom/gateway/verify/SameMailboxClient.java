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
 * connector-service's check that a new host name serves an account's mailbox: it logs in to both
 * hosts with the account's sealed password and compares the INBOXes. Same URL as {@link
 * ConnectorClient}.
 */
// The gateway's own service token (client credentials), never the user's: ADR 0007.
@OidcClientFilter
@RegisterRestClient(configKey = "connector")
@Path("/internal/accounts/verify-same-mailbox")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public interface SameMailboxClient {

  /**
   * @param request {@code {accountId, current, proposed, password}}: two IMAP endpoints with the
   *     same username, and the password sealed for accountId
   * @return {@code {outcome: SAME | DIFFERENT | CURRENT_FAILED | PROPOSED_FAILED, reason,
   *     category?, detail?, remedy?, certificateSha256?}}
   */
  @POST
  JsonNode check(JsonNode request);
}
