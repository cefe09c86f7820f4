package dev.mailroom.connector.session;

import jakarta.mail.MessagingException;
import java.util.List;
import java.util.Map;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;

/** What the server offers that changes how the session works, matched as whole atoms. */
record Capabilities(
    boolean condstore, boolean qresync, boolean idle, boolean notifyCommand, List<String> all) {

  @SuppressWarnings("unchecked")
  static Capabilities of(IMAPStore store) throws MessagingException {
    IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
    Map<String, String> caps =
        (Map<String, String>) inbox.doCommand(protocol -> protocol.getCapabilities());
    return new Capabilities(
        store.hasCapability("CONDSTORE"),
        store.hasCapability("QRESYNC"),
        store.hasCapability("IDLE"),
        store.hasCapability("NOTIFY"),
        caps.values().stream().sorted().toList());
  }

  ServerChanges.Path changesPath() {
    return qresync
        ? ServerChanges.Path.QRESYNC
        : condstore ? ServerChanges.Path.CONDSTORE : ServerChanges.Path.FULL_SCAN;
  }
}
