package dev.mailroom.gateway.account;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mailroom.gateway.health.AccountStatus;
import dev.mailroom.gateway.problem.GatewayException;
import dev.mailroom.gateway.problem.Problem;
import dev.mailroom.gateway.sync.MessageQuery;
import dev.mailroom.gateway.sync.MessageStore;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The caller's IMAP accounts. Every method works on the caller's own accounts only: the owner is
 * the token's {@code sub}, and reads go through {@link MessageStore}, which checks it.
 */
@Path("/api/accounts")
@RolesAllowed({"user", "admin"})
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "accounts", description = "IMAP accounts and what they hold")
@APIResponse(
    responseCode = "401",
    description = "No valid bearer token (the token must be issued for mailroom-gateway)")
@APIResponse(
    responseCode = "503",
    description = "A service behind the gateway is not reachable; retry after Retry-After",
    content =
        @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class AccountResource {

  private final JsonWebToken token;
  private final MessageStore store;
  private final AccountRegistration registration;
  private final AccountStatus status;
  private final AccountUpdate update;
  private final ObjectMapper json;

  @Inject
  public AccountResource(
      JsonWebToken token,
      MessageStore store,
      AccountRegistration registration,
      AccountStatus status,
      AccountUpdate update,
      ObjectMapper json) {
    this.token = token;
    this.store = store;
    this.registration = registration;
    this.status = status;
    this.update = update;
    this.json = json;
  }

  @GET
  @APIResponse(
      responseCode = "200",
      description = "The caller's accounts with their status, possibly none")
  public JsonNode list() {
    ArrayNode accounts = store.accountsOf(owner());
    accounts.forEach(
        a -> {
          if (a instanceof ObjectNode account) {
            status.merge(account);
          }
        });
    return accounts;
  }

  /**
   * The owner asks Mailroom to try a disconnected account again: the connector retries, and a
   * success makes it connected. 202 when accepted; 409 when the account is not disconnected.
   */
  @POST
  @Path("/{id}/reconnect")
  @APIResponse(responseCode = "202", description = "The connector will try again")
  @APIResponse(responseCode = "409", description = "The account is not disconnected")
  @APIResponse(responseCode = "404", description = "No such account among the caller's")
  public Response reconnect(@PathParam("id") String id) {
    String accountId = store.account(id, owner()).path("id").asText();
    status.reconnect(accountId);
    return Response.accepted().build();
  }

  /**
   * Records a new account. It is saved once the event log has acknowledged it; the connector then
   * logs in and the status moves on from {@code pending}.
   */
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @APIResponse(
      responseCode = "201",
      description = "Saved; Location names the new account",
      content = @Content(schema = @Schema(implementation = AccountView.class)))
  @APIResponse(
      responseCode = "422",
      description =
          "Not saved: the connector could not log in (connection.category, remedy and, for"
              + " a refused certificate, certificateSha256), or POP, ProtonMail, or no encryption"
              + " without acknowledgeNoEncryption",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "400",
      description = "The body is not JSON, or names every field that is missing or wrong",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public Response create(
      @Valid @NotNull(message = "a JSON body is required") NewAccountRequest body) {
    AccountView account = registration.register(owner(), body);
    // A relative Location (RFC 9110 §10.2.2) stays right behind any proxy that rewrites the host.
    return Response.status(Response.Status.CREATED)
        .header(HttpHeaders.LOCATION, "/api/accounts/" + account.id())
        .entity(account)
        .build();
  }

  /**
   * Changes the name and address shown for the account. The server it logs in to does not change
   * here: a different host is refused with 409 (an admin can change it once it is shown to serve
   * the same mailbox).
   */
  @PATCH
  @Path("/{id}")
  @Consumes(MediaType.APPLICATION_JSON)
  @APIResponse(
      responseCode = "200",
      description = "Saved: the account as it now is",
      content = @Content(schema = @Schema(implementation = AccountView.class)))
  @APIResponse(
      responseCode = "409",
      description = "Not saved: the body changes the IMAP host, port or security, or the SMTP host",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(responseCode = "400", description = "The body is not JSON, or a field is wrong")
  @APIResponse(responseCode = "404", description = "No such account among the caller's")
  public JsonNode update(
      @PathParam("id") String id,
      @Valid @NotNull(message = "a JSON body is required") UpdateAccountRequest body) {
    var account = update.update(id, owner(), body);
    return status.merge(json.valueToTree(AccountView.of(account, AccountView.PENDING)));
  }

  @GET
  @Path("/{id}")
  @APIResponse(responseCode = "200", description = "The account")
  @APIResponse(
      responseCode = "404",
      description = "No such account among the caller's",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public JsonNode get(@PathParam("id") String id) {
    return status.merge(store.account(id, owner()));
  }

  @GET
  @Path("/{id}/mailboxes")
  @APIResponse(
      responseCode = "200",
      description = "The account's mailboxes: path, role, total, unread, uidValidity, uidNext, ...")
  @APIResponse(responseCode = "404", description = "No such account among the caller's")
  public JsonNode mailboxes(@PathParam("id") String id) {
    return store.mailboxes(id, owner());
  }

  @GET
  @Path("/{id}/messages")
  @APIResponse(
      responseCode = "200",
      description = "One page: {\"items\": [...], \"nextCursor\": \"...\" or null}")
  @APIResponse(responseCode = "400", description = "mailbox is missing, or limit is not 1..200")
  @APIResponse(responseCode = "404", description = "No such account among the caller's")
  public JsonNode messages(
      @PathParam("id") String id,
      @Parameter(description = "The mailbox path, for example INBOX", required = true)
          @QueryParam("mailbox")
          String mailbox,
      @Parameter(
              description = "Page size, 1 to 200",
              schema =
                  @Schema(
                      type = SchemaType.INTEGER,
                      minimum = "1",
                      maximum = "200",
                      defaultValue = "50"))
          @QueryParam("limit")
          String limit,
      @Parameter(description = "nextCursor of the previous page; absent for the first page")
          @QueryParam("cursor")
          String cursor) {
    MessageQuery query = MessageQuery.of(mailbox, limit, cursor);
    return store.messages(id, owner(), query);
  }

  /**
   * The owner is the token's subject, never a field of the request. A token without one (Keycloak
   * leaves {@code sub} out when the realm lacks its "basic" client scope) cannot own anything.
   */
  private String owner() {
    String subject = token.getSubject();
    if (subject == null || subject.isBlank()) {
      throw new GatewayException.Forbidden(
          "the token has no subject (sub claim), so the accounts it may see cannot be told");
    }
    return subject;
  }
}
