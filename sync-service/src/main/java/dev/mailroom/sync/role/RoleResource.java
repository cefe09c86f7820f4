package dev.mailroom.sync.role;

import dev.mailroom.sync.mailbox.Mailbox;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** An account's mailbox roles, and the owner's mapping of them (the gateway checks the owner). */
@Path("/internal/accounts/{accountId}/roles")
public class RoleResource {

  /**
   * @param unmapped the roles no mailbox plays: actions that need them answer 409
   */
  public record RolesView(Map<String, RoleResolver.Resolved> roles, List<String> unmapped) {}

  @GET
  public RolesView get(@PathParam("accountId") UUID accountId) {
    var roles = Roles.of(accountId);
    return new RolesView(roles, RoleResolver.unmapped(roles));
  }

  /**
   * Sets the owner's mapping of the roles named in the body; a role mapped to null goes back to
   * detection. Every path must be a mailbox the account has now.
   */
  @PUT
  @Consumes(MediaType.APPLICATION_JSON)
  @Transactional
  // Besides messages.read for every internal path (application.properties): a write has its own
  // role.
  @jakarta.annotation.security.RolesAllowed("roles.write")
  public RolesView put(@PathParam("accountId") UUID accountId, Map<String, String> mapping) {
    if (mapping == null || mapping.isEmpty()) {
      throw unprocessable("name at least one of the roles " + RoleResolver.ROLES);
    }
    List<String> paths = Mailbox.ofAccount(accountId).stream().map(m -> m.path).toList();
    List<String> problems = new ArrayList<>();
    mapping.forEach(
        (role, path) -> {
          if (!RoleResolver.ROLES.contains(role)) {
            problems.add(
                "'"
                    + role
                    + "' is not a role (roles: "
                    + String.join(", ", RoleResolver.ROLES)
                    + ")");
          } else if (path != null && !paths.contains(path)) {
            problems.add(
                role + ": there is no mailbox '" + path + "' in this account; create it first");
          }
        });
    if (!problems.isEmpty()) {
      throw unprocessable(String.join("; ", problems));
    }
    var em = Panache.getEntityManager();
    mapping.forEach(
        (role, path) -> {
          if (path == null) {
            em.createNativeQuery("delete from role_mapping where account_id = :a and role = :r")
                .setParameter("a", accountId)
                .setParameter("r", role)
                .executeUpdate();
          } else {
            em.createNativeQuery(
                    """
                insert into role_mapping (account_id, role, path) values (:a, :r, :p)
                on conflict (account_id, role) do update set path = excluded.path, set_at = now()
                """)
                .setParameter("a", accountId)
                .setParameter("r", role)
                .setParameter("p", path)
                .executeUpdate();
          }
        });
    em.flush();
    return get(accountId);
  }

  private static WebApplicationException unprocessable(String detail) {
    return new WebApplicationException(detail, Response.status(422).build());
  }
}
