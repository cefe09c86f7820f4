package dev.mailroom.sync.account;

import dev.mailroom.sync.api.NotFoundProblem;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import java.util.List;
import java.util.UUID;

/**
 * Internal query API for accounts, used by the gateway, which checks ownership: this service is not
 * reachable from outside the cluster.
 */
@Path("/internal/accounts")
public class AccountResource {

  @GET
  public List<AccountView> byOwner(@QueryParam("owner") String owner) {
    if (owner == null || owner.isBlank()) {
      throw new BadRequestException("query parameter 'owner' is required");
    }
    return Account.ownedBy(owner).stream().map(AccountView::of).toList();
  }

  @GET
  @Path("/{id}")
  public AccountView one(@PathParam("id") UUID id) {
    Account account = Account.findById(id);
    if (account == null) {
      throw new NotFoundProblem("no account " + id);
    }
    return AccountView.of(account);
  }
}
