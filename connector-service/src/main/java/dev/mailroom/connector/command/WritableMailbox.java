package dev.mailroom.connector.command;

import static dev.mailroom.events.mail.CommandFailed.Reason.NOT_FOUND;
import static dev.mailroom.events.mail.CommandFailed.Reason.READ_ONLY;

import dev.mailroom.connector.session.SessionContext;
import dev.mailroom.events.model.MailboxPath;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.ReadOnlyFolderException;
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
    try {
      folder.open(Folder.READ_WRITE);
    } catch (ReadOnlyFolderException e) {
      // Angus answers a SELECT that the server grants only as [READ-ONLY] (a Dovecot ACL without
      // write rights, a shared namespace) with this exception, not a NO, unless
      // mail.imap.allowreadonlyselect is set: it is the owner's refusal, not a lost connection.
      throw new CommandRefused(
          READ_ONLY,
          "mailbox " + path + " is read-only on the server (its SELECT answered [READ-ONLY])");
    }
    if (folder.getMode() != Folder.READ_WRITE) {
      folder.close(false);
      throw new CommandRefused(READ_ONLY, "mailbox " + path + " is read-only on the server");
    }
    context.resync(MailboxPath.of(path));
    return folder;
  }
}
