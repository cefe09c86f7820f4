package dev.mailroom.sync.message;

import io.quarkus.hibernate.orm.panache.Panache;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The flags the owner asked for and the server has not confirmed yet, laid over the stored flags:
 * what the owner sees at once after an action, marked pending. Once the command's outcome is read,
 * its overlay is gone and the server's flags (their events precede the outcome) stand.
 */
public final class PendingFlags {

  /**
   * A location's flags as shown, whether a command on it is still pending, and the mailbox a
   * pending move takes it to (or null).
   */
  public record Shown(List<String> flags, boolean pending, String movingTo) {}

  private final Map<String, List<Object[]>> byLocation = new HashMap<>();

  private PendingFlags() {}

  /** The pending edits at these locations ({@link #key} of each), oldest first. */
  @SuppressWarnings("unchecked")
  public static PendingFlags at(UUID account, List<String> keys) {
    PendingFlags out = new PendingFlags();
    if (keys.isEmpty()) {
      return out;
    }
    List<Object[]> rows =
        Panache.getEntityManager()
            .createNativeQuery(
                """
            select cast(uid_validity as text) || '/' || cast(uid as text) || '/' || mailbox, add_flags, remove_flags,
                   move_to
            from pending_flags
            where account_id = :account and cast(uid_validity as text) || '/' || cast(uid as text) || '/' || mailbox in (:keys)
            order by requested_at, command_id
            """)
            .setParameter("account", account)
            .setParameter("keys", keys)
            .getResultList();
    for (Object[] r : rows) {
      out.byLocation.computeIfAbsent((String) r[0], k -> new ArrayList<>()).add(r);
    }
    return out;
  }

  public static String key(String mailbox, long uidValidity, long uid) {
    return uidValidity + "/" + uid + "/" + mailbox;
  }

  public Shown shown(String mailbox, long uidValidity, long uid, List<String> stored) {
    List<Object[]> edits = byLocation.get(key(mailbox, uidValidity, uid));
    if (edits == null) {
      return new Shown(stored, false, null);
    }
    List<String> flags = new ArrayList<>(stored);
    String movingTo = null;
    for (Object[] edit : edits) {
      movingTo = edit[3] == null ? movingTo : (String) edit[3];
      for (String add : (String[]) edit[1]) {
        if (flags.stream().noneMatch(f -> f.equalsIgnoreCase(add))) {
          flags.add(add);
        }
      }
      Arrays.stream((String[]) edit[2])
          .forEach(remove -> flags.removeIf(f -> f.equalsIgnoreCase(remove)));
    }
    return new Shown(List.copyOf(flags), true, movingTo);
  }
}
