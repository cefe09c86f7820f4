package dev.mailroom.gateway.admin;

import dev.mailroom.gateway.credentials.CredentialReseal;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Key rotation for operators: seal every stored IMAP password anew. */
@Path("/api/admin/credentials")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin", description = "Operations on any user's account (role admin)")
@APIResponse(responseCode = "401", description = "No valid bearer token")
@APIResponse(responseCode = "403", description = "The token lacks the admin role")
public class AdminCredentialResource {

  private final CredentialReseal reseal;

  @Inject
  public AdminCredentialResource(CredentialReseal reseal) {
    this.reseal = reseal;
  }

  /**
   * Seals every account's password with the active key ({@code mailroom.credentials.key-id}), bound
   * to the account's endpoint. Run it after a new key became active (the old one still in {@code
   * old-keys}, on the gateway and the connector); when it reports no unopenable account, the old
   * key can be removed. Idempotent: accounts already sealed so are left alone.
   */
  @POST
  @Path("/reseal")
  @APIResponse(
      responseCode = "200",
      description = "What was sealed anew (account ids only)",
      content = @Content(schema = @Schema(implementation = CredentialReseal.Outcome.class)))
  @APIResponse(
      responseCode = "503",
      description =
          "The accounts topic could not be read; nothing or" + " part was done, run it again")
  public CredentialReseal.Outcome resealAll() {
    return reseal.resealAll();
  }
}
