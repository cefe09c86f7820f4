package dev.mailroom.connector.verify;

import jakarta.mail.FetchProfile;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.UIDFolder;
import java.util.Collection;
import java.util.TreeMap;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;

/** Reads {@link InboxSample}s: read-only, headers only, one round trip per sample. */
final class InboxReader {

  private static final String MESSAGE_ID = "Message-ID";

  private InboxReader() {}

  /** The UIDVALIDITY and the Message-IDs of the {@code count} newest INBOX messages. */
  static InboxSample newest(IMAPStore store, int count) throws MessagingException {
    IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
    inbox.open(Folder.READ_ONLY);
    try {
      int total = inbox.getMessageCount();
      Message[] messages =
          total == 0 ? new Message[0] : inbox.getMessages(Math.max(1, total - count + 1), total);
      return sample(inbox, messages);
    } finally {
      inbox.close(false);
    }
  }

  /** The UIDVALIDITY and the Message-IDs of the messages with these UIDs, where they exist. */
  static InboxSample byUid(IMAPStore store, Collection<Long> uids) throws MessagingException {
    IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
    inbox.open(Folder.READ_ONLY);
    try {
      long[] wanted = uids.stream().mapToLong(Long::longValue).toArray();
      Message[] found = wanted.length == 0 ? new Message[0] : inbox.getMessagesByUID(wanted);
      // Angus answers null for a UID the folder does not hold.
      return sample(
          inbox, java.util.Arrays.stream(found).filter(m -> m != null).toArray(Message[]::new));
    } finally {
      inbox.close(false);
    }
  }

  private static InboxSample sample(IMAPFolder inbox, Message[] messages)
      throws MessagingException {
    FetchProfile profile = new FetchProfile();
    profile.add(UIDFolder.FetchProfileItem.UID);
    profile.add(MESSAGE_ID);
    inbox.fetch(messages, profile);
    TreeMap<Long, String> ids = new TreeMap<>();
    for (Message message : messages) {
      String[] header = message.getHeader(MESSAGE_ID);
      String id =
          header == null || header.length == 0 || header[0].isBlank() ? null : header[0].strip();
      ids.put(inbox.getUID(message), id);
    }
    return new InboxSample(inbox.getUIDValidity(), ids);
  }
}
