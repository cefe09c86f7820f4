package dev.mailroom.connector.imap;

import jakarta.mail.MessagingException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;
import org.eclipse.angus.mail.imap.protocol.UIDSet;

/** IMAP commands Angus has no method for, run the way its own are. */
public final class ImapCommands {

  private ImapCommands() {}

  /**
   * Runs a command on the folder's own connection; NO, BAD and BYE become exceptions. Every reply
   * also goes to Angus's handlers, as its own commands do: an EXISTS, EXPUNGE or VANISHED that
   * the server sends along must reach the open folder, or its message numbers go stale and a
   * later fetch by number reads another message. The caller gets copies to read, since a reply
   * is read only once.
   */
  public static Response[] run(IMAPFolder folder, String command) throws MessagingException {
    return (Response[]) folder.doCommand(protocol -> {
      Response[] responses = protocol.command(command, null);
      Response[] copies = new Response[responses.length];
      for (int i = 0; i < responses.length; i++) {
        Response r = responses[i];
        copies[i] = r instanceof FetchResponse ? r // its items are parsed already
            : r instanceof IMAPResponse ir ? new IMAPResponse(ir) : new Response(r);
      }
      protocol.notifyResponseHandlers(responses);
      protocol.handleResult(responses[responses.length - 1]);
      return copies;
    });
  }

  /**
   * A {@code VANISHED} reply (RFC 7162 §3.2.10): {@code earlier} for expunges before this
   * selection ({@code VANISHED (EARLIER)}), else expunges while selected. Read from a copy, so
   * the reply itself stays unread for whoever reads it next.
   */
  public record Vanished(boolean earlier, long[] uids) {

    public static Vanished of(IMAPResponse reply) {
      IMAPResponse read = new IMAPResponse(reply);
      boolean earlier = read.readAtomStringList() != null;
      return new Vanished(earlier, UIDSet.toArray(UIDSet.parseUIDSets(read.readAtom())));
    }
  }
}
