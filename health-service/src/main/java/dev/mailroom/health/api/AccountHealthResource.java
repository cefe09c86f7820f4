package dev.mailroom.health.api;

import dev.mailroom.health.connection.AccountHealth;
import dev.mailroom.health.status.AccountStatusService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Internal API: an account's connection health, for the gateway. */
@Path("/internal/accounts/{accountId}")
public class AccountHealthResource {

  private final AccountStatusService statuses;

  AccountHealthResource(AccountStatusService statuses) {
    this.statuses = statuses;
  }

  public record HealthView(
      String state,
      Instant failingSince,
      Instant disconnectedAt,
      Instant lastEventAt,
      String lastCategory,
      String lastDetail,
      List<String> capabilities) {}

  @GET
  @Path("health")
  public HealthView get(@PathParam("accountId") UUID accountId) {
    AccountHealth h = AccountHealth.findById(accountId);
    if (h == null) {
      throw new NotFoundException("no connection attempt seen yet for account " + accountId);
    }
    return new HealthView(
        h.state,
        h.failingSince,
        h.disconnectedAt,
        h.lastEventAt,
        h.lastCategory,
        h.lastDetail,
        List.of(h.capabilities));
  }

  /**
   * The owner asked to reconnect a disconnected account: announces {@code RECONNECTING} on the
   * account-status topic, which the connector follows. 202 when done, 409 when the account is not
   * disconnected (it is being retried already), 404 when it is unknown.
   */
  @POST
  @Path("reconnect")
  public Response reconnect(@PathParam("accountId") UUID accountId) {
    if (AccountHealth.findById(accountId) == null) {
      throw new NotFoundException("no connection attempt seen yet for account " + accountId);
    }
    return statuses
        .reconnect(accountId)
        .map(
            event ->
                Response.accepted(
                        new HealthView(
                            "reconnecting",
                            event.since(),
                            null,
                            null,
                            event.reason() == null ? null : event.reason().name(),
                            event.detail(),
                            List.of()))
                    .build())
        .orElseGet(
            () ->
                Response.status(Response.Status.CONFLICT)
                    .entity(
                        new Conflict(
                            "account " + accountId + " is not disconnected: it is retried already"))
                    .build());
  }

  public record Conflict(String detail) {}
}
