package dev.mailroom.gateway.account;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailroom.gateway.health.AccountStatus;
import dev.mailroom.gateway.limit.UserLimits;
import dev.mailroom.gateway.problem.GatewayException;
import dev.mailroom.gateway.problem.Problem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Deleting an account and changing what lets Mailroom log in to it. Kept apart from {@link
 * AccountResource} (same path) because each of these writes to the accounts topic and, for the
 * credentials, has the connector log in first.
 */
@Path("/api/accounts")
@RolesAllowed({"user", "admin"})
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "accounts")
@APIResponse(responseCode = "401", description = "No valid bearer token")
@APIResponse(
    responseCode = "404",
    description = "No such account among the caller's",
    content =
        @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(
    responseCode = "503",
    description = "The event log or the connector is not reachable; retry after Retry-After",
    content =
        @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class AccountLifecycleResource {

  private final JsonWebToken token;
  private final AccountDeletion deletion;
  private final AccountCredentials credentials;
  private final AccountStatus status;
  private final UserLimits limits;
  private final ObjectMapper json;

  @Inject
  public AccountLifecycleResource(
      JsonWebToken token,
      AccountDeletion deletion,
      AccountCredentials credentials,
      AccountStatus status,
      UserLimits limits,
      ObjectMapper json) {
    this.token = token;
    this.deletion = deletion;
    this.credentials = credentials;
    this.status = status;
    this.limits = limits;
    this.json = json;
  }

  /**
   * Deletes the account: its sessions are closed, its mail, mailboxes and status removed from every
   * store, its sealed password dropped from the accounts topic. The mail on the server is
   * untouched.
   */
  @DELETE
  @Path("/{id}")
  @APIResponse(
      responseCode = "202",
      description =
          "Deleted: the tombstone is on the event log; the account is gone from lists"
              + " within seconds (usually by the time this answers)")
  public Response delete(@PathParam("id") String id) {
    deletion.delete(id, owner());
    return Response.accepted().build();
  }

  /**
   * Replaces the password after the connector has logged in with it; a password the server refuses
   * leaves the account as it was (422, with the category and remedy).
   */
  @PUT
  @Path("/{id}/password")
  @Consumes(MediaType.APPLICATION_JSON)
  @APIResponse(
      responseCode = "200",
      description = "Verified and saved: the account as it now is",
      content = @Content(schema = @Schema(implementation = AccountView.class)))
  @APIResponse(responseCode = "400", description = "No password, or not JSON")
  @APIResponse(
      responseCode = "422",
      description = "The server refused the new password; nothing was changed",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "429",
      description = "Too many credential checks; retry after Retry-After")
  public JsonNode changePassword(
      @PathParam("id") String id,
      @Valid @NotNull(message = "a JSON body is required") PasswordChangeRequest body) {
    String owner = owner();
    limits.credentialCheck(owner);
    return view(credentials.changePassword(id, owner, body.password()));
  }

  /**
   * Approves the self-signed certificate the server presents now, after its owner has seen its
   * fingerprint (a rotated certificate makes the account fail with CERTIFICATE_SELF_SIGNED and the
   * new {@code certificateSha256}). That certificate is pinned; any other is refused again.
   */
  @PUT
  @Path("/{id}/certificate")
  @Consumes(MediaType.APPLICATION_JSON)
  @APIResponse(
      responseCode = "200",
      description = "Verified with the approved certificate and saved",
      content = @Content(schema = @Schema(implementation = AccountView.class)))
  @APIResponse(responseCode = "400", description = "Not a SHA-256 fingerprint")
  @APIResponse(
      responseCode = "422",
      description = "The server presents another certificate (its fingerprint is in the problem)",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "429",
      description = "Too many credential checks; retry after Retry-After")
  public JsonNode approveCertificate(
      @PathParam("id") String id,
      @Valid @NotNull(message = "a JSON body is required") CertificateApproval body) {
    String owner = owner();
    limits.credentialCheck(owner);
    return view(credentials.approveCertificate(id, owner, body.certificateSha256()));
  }

  private JsonNode view(dev.mailroom.events.account.AccountDefined account) {
    return status.merge(json.valueToTree(AccountView.of(account, AccountView.PENDING)));
  }

  private String owner() {
    String subject = token.getSubject();
    if (subject == null || subject.isBlank()) {
      throw new GatewayException.Forbidden(
          "the token has no subject (sub claim), so the accounts it may see cannot be told");
    }
    return subject;
  }
}
