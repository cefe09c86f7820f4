package dev.mailroom.gateway.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailroom.gateway.account.AccountView;
import dev.mailroom.gateway.health.AccountStatus;
import dev.mailroom.gateway.problem.Problem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Operations on any user's account, for operators only. */
@Path("/api/admin/accounts")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin", description = "Operations on any user's account (role admin)")
@APIResponse(responseCode = "401", description = "No valid bearer token")
@APIResponse(responseCode = "403", description = "The token lacks the admin role")
public class AdminAccountResource {

  private final HostChange hostChange;
  private final AccountStatus status;
  private final ObjectMapper json;

  @Inject
  public AdminAccountResource(HostChange hostChange, AccountStatus status, ObjectMapper json) {
    this.hostChange = hostChange;
    this.status = status;
    this.json = json;
  }

  /**
   * Moves the account to another host name, after the connector has logged in to both with the
   * account's credentials and found the same INBOX (UIDVALIDITY and a sample of Message-IDs).
   */
  @POST
  @Path("/{id}/host")
  @Consumes(MediaType.APPLICATION_JSON)
  @APIResponse(
      responseCode = "200",
      description = "Changed (or already so): the account as it now is",
      content = @Content(schema = @Schema(implementation = AccountView.class)))
  @APIResponse(
      responseCode = "409",
      description =
          "Not changed: the new host serves a different mailbox, or the current host could"
              + " not be read to compare with; the account must be connected as a new one",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "422",
      description =
          "Not changed: the new host refused the login (connection.category and remedy),"
              + " or security is none (encryption-required: a host change is done over TLS or STARTTLS only)",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(responseCode = "404", description = "No such account")
  public JsonNode changeHost(
      @PathParam("id") String id,
      @Valid @NotNull(message = "a JSON body is required") HostChangeRequest body) {
    var account = hostChange.change(id, body);
    return status.merge(json.valueToTree(AccountView.of(account, AccountView.PENDING)));
  }
}
