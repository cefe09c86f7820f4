package dev.mailroom.connector.imap;

import dev.mailroom.events.mail.MessageAdded;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.EmailAddress;
import dev.mailroom.events.model.MailboxPath;
import dev.mailroom.events.model.ModSeq;
import dev.mailroom.events.model.Uid;
import dev.mailroom.events.model.UidValidity;
import jakarta.mail.Address;
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
      AccountId account, MailboxPath mailbox, UidValidity uidValidity, long uid, IMAPMessage m, boolean condstore)
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
        condstore ? ModSeq.of(m.getModSeq()) : null,
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
        references(m.getHeader("References")));
  }

  /**
   * The stable identity: the Message-ID where there is one (RFC 5322 §3.6.4), else a hash of what
   * stays the same when a message is moved: sender, date, subject and size.
   */
  static String identity(String messageId, List<EmailAddress> from, Instant sentAt, String subject, long size) {
    if (messageId != null && !messageId.isBlank()) {
      return "mid:" + sha256(messageId.strip().toLowerCase(Locale.ROOT));
    }
    String first = from.isEmpty() ? "" : String.valueOf(from.getFirst().address());
    return "hash:" + sha256(first + "\u001f" + sentAt + "\u001f" + subject + "\u001f" + size);
  }

  static List<String> flags(Flags flags) {
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
