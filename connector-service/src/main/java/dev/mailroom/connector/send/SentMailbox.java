package dev.mailroom.connector.send;

import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;

/**
 * Which mailbox is Sent: the one the server marks {@code \Sent} (RFC 6154 SPECIAL-USE), else the
 * first well-known name. Only for a message queued before the account's first sync: otherwise the
 * gateway resolved the Sent role from sync-service's roles (the owner's mapping first) and the
 * outbox row carries it. Before the first sync no mapping can exist (a mapping names a mailbox the
 * store lists), so this finds what the roles would.
 */
public final class SentMailbox {

  /** Names providers and clients use for Sent when the server marks none (case-insensitive). */
  static final List<String> WELL_KNOWN =
      List.of(
          "Sent",
          "Sent Items",
          "Sent Messages",
          "Sent Mail",
          "[Gmail]/Sent Mail",
          "INBOX.Sent",
          "INBOX/Sent");

  private SentMailbox() {}

  public static Optional<String> find(IMAPStore store) throws MessagingException {
    Folder[] all = store.getDefaultFolder().list("*");
    for (Folder f : all) {
      for (String attribute : ((IMAPFolder) f).getAttributes()) {
        if ("\\Sent".equalsIgnoreCase(attribute)) {
          return Optional.of(f.getFullName());
        }
      }
    }
    for (String name : WELL_KNOWN) {
      for (Folder f : all) {
        if (f.getFullName().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
          return Optional.of(f.getFullName());
        }
      }
    }
    return Optional.empty();
  }
}
