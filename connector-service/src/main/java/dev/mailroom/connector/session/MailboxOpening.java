package dev.mailroom.connector.session;

import dev.mailroom.connector.checkpoint.MailboxState;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.event.MailEvent;
import java.util.List;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.ResyncData;

/**
 * How a sync opens its mailbox (read-only, EXAMINE), by the server's changes path: with QRESYNC's
 * resynchronisation data where the state has a checkpoint with a MODSEQ, with CONDSTORE enabled
 * otherwise, and plainly on a server that offers neither (see {@link ServerChanges}).
 */
final class MailboxOpening {

  private MailboxOpening() {}

  /**
   * @return the changes the server reported while opening (QRESYNC's VANISHED and FETCH replies)
   */
  static List<MailEvent> open(IMAPFolder folder, MailboxState state, ServerChanges.Path changesPath)
      throws MessagingException {
    if (changesPath == ServerChanges.Path.QRESYNC
        && state != null
        && state.complete()
        && state.checkpoint().hasModSeq()) {
      // RFC 7162 §3.2.5: EXAMINE mailbox (QRESYNC (uidvalidity modseq)). A stale UIDVALIDITY makes
      // the server ignore the parameter, which MailboxSync's reset check then notices.
      return folder.open(
          Folder.READ_ONLY,
          new ResyncData(state.uidValidity().value(), state.checkpoint().highestModSeq().value()));
    }
    if (changesPath == ServerChanges.Path.QRESYNC) {
      // A first sync needs no resynchronisation data, but the next one may resume this selection
      // with VANISHED, which wants QRESYNC enabled (RFC 7162 §3.2.3). ENABLE is a command of the
      // authenticated state: it goes to the store's connection, which the folder then opens on.
      folder.doCommand(
          protocol -> {
            if (!protocol.isEnabled("QRESYNC")) {
              protocol.enable("QRESYNC");
            }
            return null;
          });
    }
    if (changesPath != ServerChanges.Path.FULL_SCAN) {
      // RFC 7162 §3.1: with CONDSTORE enabled every FETCH reply carries the MODSEQ.
      return folder.open(Folder.READ_ONLY, ResyncData.CONDSTORE);
    }
    folder.open(Folder.READ_ONLY);
    return List.of();
  }
}
