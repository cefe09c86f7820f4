package dev.mailroom.sync.role;

import dev.mailroom.sync.mailbox.Mailbox;
import io.quarkus.hibernate.orm.panache.Panache;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The roles of an account's mailboxes, from the store: the mailbox list and the owner's mapping
 * (table {@code role_mapping}). The mapping is set through the gateway ({@code PUT
 * /api/accounts/{id}/roles}) and kept here, beside the mailbox list it names; it outlives restarts
 * and resyncs, and a mapped mailbox that disappears from the server leaves its role to detection
 * until the owner maps another.
 */
public final class Roles {

  private Roles() {}

  public static Map<String, RoleResolver.Resolved> of(UUID accountId) {
    return of(Mailbox.ofAccount(accountId), accountId);
  }

  public static Map<String, RoleResolver.Resolved> of(List<Mailbox> mailboxes, UUID accountId) {
    List<RoleResolver.Box> boxes =
        mailboxes.stream().map(m -> new RoleResolver.Box(m.path, m.delimiter, m.role)).toList();
    return RoleResolver.resolve(boxes, ownerMapping(accountId));
  }

  @SuppressWarnings("unchecked")
  public static Map<String, String> ownerMapping(UUID accountId) {
    List<Object[]> rows =
        Panache.getEntityManager()
            .createNativeQuery("select role, path from role_mapping where account_id = :account")
            .setParameter("account", accountId)
            .getResultList();
    Map<String, String> out = new HashMap<>();
    rows.forEach(r -> out.put((String) r[0], (String) r[1]));
    return out;
  }
}
