package dev.mailroom.sync.mailbox;

import io.quarkus.hibernate.orm.panache.Panache;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** How many messages of each mailbox the store holds, at the mailbox's current UIDVALIDITY. */
final class StoredCounts {

  private StoredCounts() {}

  static Map<String, Long> byMailbox(UUID accountId) {
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        Panache.getEntityManager()
            .createNativeQuery(
                """
                select l.mailbox, count(*) from message_location l
                join mailbox m on m.account_id = l.account_id and m.path = l.mailbox
                               and m.uid_validity = l.uid_validity
                where l.account_id = :account group by l.mailbox
                """)
            .setParameter("account", accountId)
            .getResultList();
    Map<String, Long> counts = new HashMap<>();
    rows.forEach(r -> counts.put((String) r[0], ((Number) r[1]).longValue()));
    return counts;
  }
}
