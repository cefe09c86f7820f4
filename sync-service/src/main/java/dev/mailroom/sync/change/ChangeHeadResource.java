package dev.mailroom.sync.change;

import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.util.UUID;

/**
 * Where an account's change log ends now: a client that starts following an account from "now" (a
 * live stream opened without a Last-Event-ID) begins after this, without reading the history.
 */
@Path("/internal/accounts/{accountId}/changes/head")
public class ChangeHeadResource {

  public record Head(long cursor) {}

  @GET
  public Head head(@PathParam("accountId") UUID accountId) {
    Number max =
        (Number)
            Panache.getEntityManager()
                .createNativeQuery(
                    "select coalesce(max(seq), 0) from change_log where account_id = :account")
                .setParameter("account", accountId)
                .getSingleResult();
    return new Head(max.longValue());
  }
}
