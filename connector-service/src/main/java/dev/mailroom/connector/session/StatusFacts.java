package dev.mailroom.connector.session;

import dev.mailroom.connector.imap.ImapCommands;
import jakarta.mail.MessagingException;
import java.util.Locale;
import java.util.regex.Pattern;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;

/**
 * What a mailbox status reports beyond what Angus keeps from the EXAMINE: unseen count and role.
 */
final class StatusFacts {

  private static final Pattern COUNT = Pattern.compile("\\bCOUNT (\\d+)");

  private StatusFacts() {}

  /**
   * The unseen count of the open mailbox. Angus answers it with {@code SEARCH UNSEEN}, whose reply
   * lists every unseen message: 600 KB for a mailbox of 100,000 unread newsletters, on every
   * change. ESEARCH (RFC 4731) returns the count alone.
   */
  static long unseen(IMAPFolder folder) throws MessagingException {
    // Asked of the open folder's own connection: IMAPStore.hasCapability would take the store's
    // connection, which the open folder holds, and so log in a new one on every sync.
    if (!(Boolean) folder.doCommand(protocol -> protocol.hasCapability("ESEARCH"))) {
      return Math.max(0, folder.getUnreadMessageCount());
    }
    for (var r : ImapCommands.run(folder, "SEARCH RETURN (COUNT) UNSEEN")) {
      if (r instanceof IMAPResponse ir && ir.keyEquals("ESEARCH")) {
        var count = COUNT.matcher(ir.toString());
        if (count.find()) {
          return Long.parseLong(count.group(1));
        }
      }
    }
    return 0; // an ESEARCH reply without COUNT: nothing matched
  }

  /** RFC 6154 special use, as the lower-case word without the backslash. */
  static String role(IMAPFolder folder) throws MessagingException {
    for (String attribute : folder.getAttributes()) {
      String a = attribute.toLowerCase(Locale.ROOT);
      switch (a) {
        case "\\archive", "\\sent", "\\trash", "\\junk", "\\drafts", "\\all", "\\flagged" -> {
          return a.substring(1);
        }
        default -> {}
      }
    }
    return null;
  }
}
