package dev.mailroom.connector.session;

import dev.mailroom.connector.checkpoint.MailboxState;
import io.quarkus.logging.Log;
import jakarta.mail.MessagingException;
import org.eclipse.angus.mail.imap.IMAPFolder;

/**
 * The mailbox a sync left selected on the session's connection, so that the next sync of the same
 * mailbox can ask what changed without selecting it again (see {@link MailboxSync}).
 */
final class KeptSelection {

  private IMAPFolder folder;

  IMAPFolder folder() {
    return folder;
  }

  void keep(IMAPFolder selected) {
    folder = selected;
  }

  /** The selection is gone (closed by its sync): nothing to give back. */
  void forget() {
    folder = null;
  }

  /**
   * Gives the selection back. One that cannot be closed is on a broken connection, which the
   * session's next command finds out about.
   */
  void release() {
    IMAPFolder kept = folder;
    folder = null;
    if (kept != null && kept.isOpen()) {
      try {
        kept.close(false);
      } catch (MessagingException e) {
        Log.debugf("%s: the selection could not be closed: %s", kept.getFullName(), e.getMessage());
      }
    }
  }

  /**
   * The kept folder when the next sync of {@code wanted} can resume it: the same mailbox on the
   * same connection, on the QRESYNC path with a checkpoint, and QRESYNC enabled there.
   */
  IMAPFolder resumable(IMAPFolder wanted, MailboxState state, ServerChanges.Path changesPath)
      throws MessagingException {
    IMAPFolder kept = folder;
    boolean resumable =
        kept != null
            && kept.isOpen()
            && kept.getStore() == wanted.getStore()
            && kept.getFullName().equals(wanted.getFullName())
            && changesPath == ServerChanges.Path.QRESYNC
            && state != null
            && state.complete()
            && state.checkpoint().hasModSeq()
            && (Boolean) kept.doCommand(protocol -> protocol.isEnabled("QRESYNC"));
    return resumable ? kept : null;
  }
}
