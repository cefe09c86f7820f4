package dev.mailroom.sync.mailbox;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

@Path("/internal/accounts/{accountId}/mailboxes")
public class MailboxResource {

  /**
   * @param total and unread come from the server's own counters (STATUS), so they are right
   *     even while the first sync is still filling the store; {@code stored} says how far it got
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
      SyncProgress sync) {}

  /** How far the first sync of the mailbox has come; {@code total} is null until it is known. */
  public record SyncProgress(long done, Long total) {}

  @GET
  public List<MailboxView> list(@PathParam("accountId") UUID accountId) {
    var stored = StoredCounts.byMailbox(accountId);
    return Mailbox.ofAccount(accountId).stream()
        .map(m -> new MailboxView(m.path, m.role, m.delimiter, m.messages, m.unseen,
            stored.getOrDefault(m.path, 0L), m.uidValidity, m.uidNext, m.highestModSeq,
            m.observedAt, new SyncProgress(m.syncDone, m.syncTotal)))
        .toList();
  }
}
