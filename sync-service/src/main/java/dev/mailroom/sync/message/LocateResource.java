package dev.mailroom.sync.message;

import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Where messages are now, by their ids: what the gateway turns an owner's action into a command
 * with. Only locations at their mailbox's current UIDVALIDITY count: a message whose mailbox was
 * reset is found again, by its identity, once the resync has added it at its new UID.
 */
@Path("/internal/accounts/{accountId}/messages/locate")
public class LocateResource {

  static final int MAX_IDS = 1000;

  public record Request(List<String> ids) {}

  /**
   * @param unknown ids the store never held
   * @param expunged ids the store held and no longer does: expunged from every mailbox, or their
   *     mailbox was deleted (a message goes with its last location, see LocationSql.EXPUNGE, and
   *     leaves a tombstone in {@code expunged_message})
   * @param gone ids of messages on no mailbox at its current UIDVALIDITY: their mailbox was reset
   *     and the resync has not added them again yet
   */
  public record Located(
      Map<String, List<MessageDetailResource.Location>> located,
      List<String> unknown,
      List<String> expunged,
      List<String> gone) {}

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @SuppressWarnings("unchecked")
  public Located locate(@PathParam("accountId") UUID accountId, Request request) {
    if (request == null
        || request.ids() == null
        || request.ids().isEmpty()
        || request.ids().size() > MAX_IDS) {
      throw new BadRequestException("ids: between 1 and " + MAX_IDS + " message ids");
    }
    var em = Panache.getEntityManager();
    List<Object[]> rows =
        em.createNativeQuery(
                """
            select m.identity, l.mailbox, l.uid_validity, l.uid, l.flags, l.internal_date, l.modseq
            from message m
            left join message_location l on l.message_ref = m.id
                and l.uid_validity = (select b.uid_validity from mailbox b
                                      where b.account_id = m.account_id and b.path = l.mailbox)
            where m.account_id = :account and m.identity in (:ids)
            order by m.identity, l.mailbox, l.uid
            """)
            .setParameter("account", accountId)
            .setParameter("ids", request.ids())
            .getResultList();
    Map<String, List<Object[]>> byId = new LinkedHashMap<>();
    for (Object[] r : rows) {
      List<Object[]> list = byId.computeIfAbsent((String) r[0], k -> new ArrayList<>());
      if (r[1] != null) {
        list.add(new Object[] {r[1], r[2], r[3], r[4], r[5], r[6]});
      }
    }
    Map<String, List<MessageDetailResource.Location>> located = new LinkedHashMap<>();
    List<String> unknown = new ArrayList<>();
    List<String> gone = new ArrayList<>();
    for (String id : request.ids()) {
      List<Object[]> at = byId.get(id);
      if (at == null) {
        unknown.add(id);
      } else if (at.isEmpty()) {
        gone.add(id);
      } else {
        located.put(id, MessageDetailResource.locations(accountId, at));
      }
    }
    List<String> expunged = new ArrayList<>();
    if (!unknown.isEmpty()) {
      List<String> tombstones =
          em.createNativeQuery(
                  "select identity from expunged_message"
                      + " where account_id = :account and identity in (:ids)")
              .setParameter("account", accountId)
              .setParameter("ids", unknown)
              .getResultList();
      expunged.addAll(tombstones);
      unknown.removeAll(tombstones);
    }
    return new Located(located, unknown, expunged, gone);
  }
}
