package dev.mailroom.connector.imap;

import dev.mailroom.connector.fetch.BodyText;
import dev.mailroom.events.mail.MessageAdded;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.EmailAddress;
import dev.mailroom.events.model.MailboxPath;
import dev.mailroom.events.model.ModSeq;
import dev.mailroom.events.model.Uid;
import dev.mailroom.events.model.UidValidity;
import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.FetchProfile;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.UIDFolder;
import java.io.IOException;
import org.eclipse.angus.mail.imap.IMAPFolder;
import jakarta.mail.Flags;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.eclipse.angus.mail.imap.IMAPMessage;

/** Turns a fetched IMAP message into a {@code message.added} event. */
public final class MessageMapper {

  private MessageMapper() {}

  public static MessageAdded toEvent(
      AccountId account, MailboxPath mailbox, UidValidity uidValidity, long uid, IMAPMessage m, ModSeq modSeq,
      BodyText.Text text)
      throws MessagingException {
    String messageId = m.getMessageID();
    String subject = m.getSubject();
    List<EmailAddress> from = addresses(m.getFrom());
    Instant sentAt = m.getSentDate() == null ? null : m.getSentDate().toInstant();
    Instant internal = m.getReceivedDate() == null ? sentAt : m.getReceivedDate().toInstant();
    long size = Math.max(0, m.getSize());
    return new MessageAdded(
        account,
        mailbox,
        uidValidity,
        Uid.of(uid),
        modSeq,
        identity(messageId, from, sentAt, subject, size),
        messageId,
        subject,
        from,
        addresses(m.getRecipients(Message.RecipientType.TO)),
        addresses(m.getRecipients(Message.RecipientType.CC)),
        sentAt,
        internal == null ? Instant.EPOCH : internal,
        size,
        flags(m.getFlags()),
        m.getInReplyTo(),
        references(m.getHeader("References")),
        text == null ? null : text.snippet(),
        text == null ? null : text.text(),
        text == null ? null : text.html(),
        attachments(m));
  }

  /**
   * What a sync fetches in one pipelined UID FETCH per batch: UID, FLAGS, MODSEQ (when enabled),
   * INTERNALDATE, RFC822.SIZE, ENVELOPE, BODYSTRUCTURE and the threading header. No body: the
   * content stays on the server.
   */
  public static FetchProfile fetchProfile() {
    FetchProfile profile = new FetchProfile();
    profile.add(FetchProfile.Item.ENVELOPE);
    profile.add(FetchProfile.Item.FLAGS);
    profile.add(FetchProfile.Item.SIZE);
    profile.add(FetchProfile.Item.CONTENT_INFO);
    profile.add(UIDFolder.FetchProfileItem.UID);
    profile.add(IMAPFolder.FetchProfileItem.INTERNALDATE);
    profile.add("References");
    return profile;
  }

  /**
   * Attachment metadata from the BODYSTRUCTURE already fetched: Angus builds the parts from it
   * without reading any content. {@code part} is the IMAP section number (RFC 9051 §6.4.5).
   */
  static List<MessageAdded.Attachment> attachments(IMAPMessage m) throws MessagingException {
    List<MessageAdded.Attachment> out = new ArrayList<>();
    if (m.isMimeType("multipart/*")) {
      try {
        walk((Multipart) m.getContent(), "", out);
      } catch (IOException e) {
        throw new MessagingException("unreadable body structure", e);
      }
    }
    return out;
  }

  private static void walk(Multipart multipart, String prefix, List<MessageAdded.Attachment> out)
      throws MessagingException, IOException {
    for (int i = 0; i < multipart.getCount(); i++) {
      BodyPart part = multipart.getBodyPart(i);
      String section = prefix + (i + 1);
      if (part.isMimeType("multipart/*")) {
        walk((Multipart) part.getContent(), section + ".", out);
        continue;
      }
      String filename = part.getFileName();
      if (Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition()) || filename != null) {
        String type = part.getContentType();
        int semicolon = type == null ? -1 : type.indexOf(';');
        out.add(new MessageAdded.Attachment(section, filename,
            (semicolon < 0 ? String.valueOf(type) : type.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT),
            Math.max(0, part.getSize())));
      }
    }
  }

  /**
   * The stable identity: what stays the same when a message is moved or copied, and differs
   * between two messages. The Message-ID alone (RFC 5322 §3.6.4) should be that, but senders do
   * reuse one (a mailing list tool giving every post the same id, a client that sends a draft
   * twice), and two different messages would then become one. So a Message-ID is hashed with the
   * sender, the date and the subject, which copies of one message share and reuses of an id
   * rarely do; without a Message-ID the hash takes the size as well. The size is left out where
   * there is a Message-ID because some servers count a copy's size differently.
   */
  static String identity(String messageId, List<EmailAddress> from, Instant sentAt, String subject, long size) {
    String first = from.isEmpty() ? "" : String.valueOf(from.getFirst().address()).toLowerCase(Locale.ROOT);
    String envelope = first + "\u001f" + sentAt + "\u001f" + subject;
    if (messageId != null && !messageId.isBlank()) {
      return "mid:" + sha256(messageId.strip().toLowerCase(Locale.ROOT) + "\u001f" + envelope);
    }
    return "hash:" + sha256(envelope + "\u001f" + size);
  }

  public static List<String> flags(Flags flags) {
    List<String> out = new ArrayList<>();
    for (Flags.Flag flag : flags.getSystemFlags()) {
      if (flag == Flags.Flag.SEEN) out.add("\\Seen");
      else if (flag == Flags.Flag.ANSWERED) out.add("\\Answered");
      else if (flag == Flags.Flag.FLAGGED) out.add("\\Flagged");
      else if (flag == Flags.Flag.DELETED) out.add("\\Deleted");
      else if (flag == Flags.Flag.DRAFT) out.add("\\Draft");
    }
    out.addAll(Arrays.asList(flags.getUserFlags()));
    return out;
  }

  private static List<EmailAddress> addresses(Address[] addresses) {
    if (addresses == null) {
      return List.of();
    }
    List<EmailAddress> out = new ArrayList<>(addresses.length);
    for (Address a : addresses) {
      if (a instanceof InternetAddress ia) {
        out.add(new EmailAddress(ia.getPersonal(), ia.getAddress()));
      } else {
        out.add(new EmailAddress(null, a.toString()));
      }
    }
    return out;
  }

  private static List<String> references(String[] headers) {
    if (headers == null) {
      return List.of();
    }
    List<String> ids = new ArrayList<>();
    for (String header : headers) {
      for (String token : header.split("\\s+")) {
        if (token.startsWith("<") && token.endsWith(">")) {
          ids.add(token);
        }
      }
    }
    return ids;
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
