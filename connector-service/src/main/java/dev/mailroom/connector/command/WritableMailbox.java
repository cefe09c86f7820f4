package dev.mailroom.connector.command;

import static dev.mailroom.events.mail.CommandFailed.Reason.NOT_FOUND;
import static dev.mailroom.events.mail.CommandFailed.Reason.READ_ONLY;

import dev.mailroom.connector.session.SessionContext;
import dev.mailroom.events.model.MailboxPath;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import org.eclipse.angus.mail.imap.IMAPFolder;

/** A command's source mailbox, selected for writing; the session syncs it after the work. */
final class WritableMailbox {

  private WritableMailbox() {}

  /**
   * Selects {@code path} read-write and asks the session to sync it after the work; the caller
   * closes it with {@code close(false)} (never expunge: CLOSE would remove what another client
   * marked \Deleted).
   *
   * @throws CommandRefused the mailbox is gone, or the server grants only read access to the SELECT
   *     (RFC 9051 §6.3.2, [READ-ONLY])
   */
  static IMAPFolder open(SessionContext context, String path)
      throws CommandRefused, MessagingException {
    IMAPFolder folder =
        context
            .folder(MailboxPath.of(path))
            .orElseThrow(
                () ->
                    new CommandRefused(
                        NOT_FOUND, "mailbox " + path + " no longer exists on the server"));
    folder.open(Folder.READ_WRITE);
    if (folder.getMode() != Folder.READ_WRITE) {
      folder.close(false);
      throw new CommandRefused(READ_ONLY, "mailbox " + path + " is read-only on the server");
    }
    context.resync(MailboxPath.of(path));
    return folder;
  }
}
