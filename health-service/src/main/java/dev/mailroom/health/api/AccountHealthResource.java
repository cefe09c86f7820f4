package dev.mailroom.health.api;

import dev.mailroom.health.connection.AccountHealth;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Internal API: an account's connection health, for the gateway. */
@Path("/internal/accounts/{accountId}/health")
public class AccountHealthResource {

  public record HealthView(String state, Instant failingSince, Instant lastEventAt,
      String lastCategory, String lastDetail, List<String> capabilities) {}

  @GET
  public HealthView get(@PathParam("accountId") UUID accountId) {
    AccountHealth h = AccountHealth.findById(accountId);
    if (h == null) {
      throw new NotFoundException("no connection attempt seen yet for account " + accountId);
    }
    return new HealthView(h.state, h.failingSince, h.lastEventAt, h.lastCategory, h.lastDetail,
        List.of(h.capabilities));
  }
}
