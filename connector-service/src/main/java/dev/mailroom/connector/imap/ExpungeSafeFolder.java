package dev.mailroom.connector.imap;

import jakarta.mail.MessagingException;
import jakarta.mail.event.MailEvent;
import java.io.IOException;
import java.util.List;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPMessage;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.imap.ResyncData;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;
import org.eclipse.angus.mail.imap.protocol.ListInfo;

/**
 * An Angus folder that keeps its message numbers right when the server reports expunges as {@code
 * VANISHED} (RFC 7162 §3.2.10, once QRESYNC is enabled on the connection).
 *
 * <p>Angus 2.0.5 mishandles that reply: it expunges by the message's cache index where the sequence
 * number is meant, which differs after the first expunge, and its loop over the UIDs steps two at a
 * time, so a reply naming two UIDs fails. A stale numbering is the dangerous part: a later {@code
 * FETCH} by number reads another message than the one Angus thinks it is.
 *
 * <p>Here each vanished UID becomes the {@code EXPUNGE} of its current sequence number, which Angus
 * handles well. A UID this folder never learned has no known number and nothing in the message
 * cache to expunge: the connector fetches by UID only, so no stale number is ever used.
 *
 * <p>It also counts the messages as the server does. Angus's {@link #getMessageCount()} keeps
 * counting expunged messages until they are expunged through the folder itself, which is never the
 * case here: the folders are read-only.
 */
public final class ExpungeSafeFolder extends IMAPFolder {

  /** The server's message count in this selection, or -1 while closed. */
  private volatile int serverCount = -1;

  ExpungeSafeFolder(String fullName, char separator, IMAPStore store, Boolean isNamespace) {
    super(fullName, separator, store, isNamespace);
  }

  ExpungeSafeFolder(ListInfo li, IMAPStore store) {
    super(li, store);
  }

  @Override
  public synchronized List<MailEvent> open(int mode, ResyncData rd) throws MessagingException {
    var events = super.open(mode, rd);
    serverCount = super.getMessageCount(); // the EXISTS of the SELECT or EXAMINE
    return events;
  }

  @Override
  public synchronized int getMessageCount() throws MessagingException {
    int angus = super.getMessageCount(); // which may first NOOP on a connection left idle
    int server = serverCount;
    return isOpen() && server >= 0 ? server : angus;
  }

  @Override
  public void handleResponse(Response r) {
    if (r instanceof IMAPResponse ir && r.isUnTagged() && messageCache != null) {
      if (ir.keyEquals("EXISTS")) {
        serverCount = ir.getNumber();
      } else if (ir.keyEquals("EXPUNGE")) {
        serverCount--;
      }
    }
    if (r instanceof IMAPResponse ir
        && !(r instanceof FetchResponse)
        && ir.keyEquals("VANISHED")
        && messageCache != null) {
      ImapCommands.Vanished vanished = ImapCommands.Vanished.of(ir);
      // "VANISHED (EARLIER)" tells of expunges before this selection: Angus rightly ignores it.
      if (!vanished.earlier()) {
        serverCount -= vanished.uids().length;
        for (long uid : vanished.uids()) {
          IMAPMessage message = uidTable == null ? null : uidTable.get(uid);
          int seqnum = message == null ? -1 : messageCache.seqnumOf(message.getMessageNumber());
          if (seqnum > 0) {
            super.handleResponse(expunge(seqnum));
          }
        }
        return;
      }
    }
    super.handleResponse(r);
  }

  @Override
  public synchronized void close(boolean expunge) throws MessagingException {
    serverCount = -1;
    super.close(expunge);
  }

  private static IMAPResponse expunge(int seqnum) {
    try {
      return new IMAPResponse("* " + seqnum + " EXPUNGE");
    } catch (IOException | ProtocolException e) {
      throw new IllegalStateException("cannot build an EXPUNGE reply", e);
    }
  }
}
