package dev.mailroom.connector.imap;

import jakarta.mail.Session;
import jakarta.mail.URLName;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.imap.protocol.ListInfo;

/** Angus's IMAP store, handing out {@link ExpungeSafeFolder}s. */
final class ExpungeSafeStore extends IMAPStore {

  ExpungeSafeStore(Session session, String protocol) {
    super(
        session,
        new URLName(protocol, null, -1, null, null, null),
        protocol,
        protocol.equals("imaps"));
  }

  @Override
  protected IMAPFolder newIMAPFolder(String fullName, char separator, Boolean isNamespace) {
    return new ExpungeSafeFolder(fullName, separator, this, isNamespace);
  }

  @Override
  protected IMAPFolder newIMAPFolder(ListInfo li) {
    return new ExpungeSafeFolder(li, this);
  }
}
