package dev.mailroom.sync.mailbox;

import dev.mailroom.sync.role.RoleResolver;
import dev.mailroom.sync.role.Roles;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@Path("/internal/accounts/{accountId}/mailboxes")
public class MailboxResource {

  /**
   * @param total and unread come from the server's own counters (STATUS), so they are right even
   *     while the first sync is still filling the store; {@code stored} says how far it got
   */
  public record MailboxView(
      String path,
      String role,
      String delimiter,
      long total,
      long unread,
      long stored,
      long uidValidity,
      long uidNext,
      Long highestModSeq,
      Instant observedAt,
      SyncProgress sync,
      String roleSource,
      boolean roleGuessed) {}

  /** How far the first sync of the mailbox has come; {@code total} is null until it is known. */
  public record SyncProgress(long done, Long total) {}

  @GET
  public List<MailboxView> list(@PathParam("accountId") UUID accountId) {
    var stored = StoredCounts.byMailbox(accountId);
    List<Mailbox> mailboxes = Mailbox.ofAccount(accountId);
    // role: the role the mailbox plays (owner's choice, SPECIAL-USE, or a guessed name), see
    // RoleResolver; a role no mailbox plays is listed by GET .../roles and on the account.
    Map<String, RoleResolver.Resolved> byRole = Roles.of(mailboxes, accountId);
    return mailboxes.stream()
        .map(
            m -> {
              var played =
                  byRole.entrySet().stream()
                      .filter(e -> e.getValue() != null && e.getValue().path().equals(m.path))
                      .findFirst();
              String role = played.map(Map.Entry::getKey).orElse(isOther(m.role) ? m.role : null);
              return new MailboxView(
                  m.path,
                  role,
                  m.delimiter,
                  m.messages,
                  m.unseen,
                  stored.getOrDefault(m.path, 0L),
                  m.uidValidity,
                  m.uidNext,
                  m.highestModSeq,
                  m.observedAt,
                  new SyncProgress(m.syncDone, m.syncTotal),
                  played
                      .map(e -> e.getValue().source())
                      .orElse(role == null ? null : "special-use"),
                  played.map(e -> e.getValue().guessed()).orElse(false));
            })
        .toList();
  }

  /** SPECIAL-USE roles that no action needs (\All, \Flagged): shown as the server says. */
  private static boolean isOther(String specialUse) {
    return specialUse != null && !RoleResolver.ROLES.contains(specialUse);
  }
}
