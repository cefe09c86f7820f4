package dev.mailroom.connector.imap;

import dev.mailroom.events.mail.MessageAdded;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.EmailAddress;
import dev.mailroom.events.model.MailboxPath;
import dev.mailroom.events.model.ModSeq;
import dev.mailroom.events.model.Uid;
import dev.mailroom.events.model.UidValidity;
import jakarta.mail.Flags;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeUtility;
import java.io.UnsupportedEncodingException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.eclipse.angus.mail.imap.protocol.BODY;
import org.eclipse.angus.mail.imap.protocol.BODYSTRUCTURE;
import org.eclipse.angus.mail.imap.protocol.ENVELOPE;
import org.eclipse.angus.mail.imap.protocol.FLAGS;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.INTERNALDATE;
import org.eclipse.angus.mail.imap.protocol.MODSEQ;
import org.eclipse.angus.mail.imap.protocol.RFC822SIZE;
import org.eclipse.angus.mail.imap.protocol.UID;

/**
 * Turns one message's FETCH reply into a {@code message.added} event, without Angus's message
 * objects (see {@link ImapCommands#run} for why): the items of {@link #ITEMS}, read from the parsed
 * reply, with every list and string capped so that no message, however odd, makes an event too
 * large to publish. What was cut is named in the event's {@code truncated}.
 */
public final class MessageMapper {

  /** Subject and single ids: RFC 5322 §2.1.1 allows 998 characters a line. */
  static final int MAX_STRING = 998;

  static final int MAX_FROM = 20;
  static final int MAX_RECIPIENTS = 100;

  /** Threading needs the first (the thread's root) and the last few (the nearest parents). */
  static final int MAX_REFERENCES = 50;

  /**
   * How deep into nested multiparts the text and the attachments are looked for. Mail nests a few
   * levels; Dovecot stops parsing MIME at 100 (since 2.3.11, CVE-2020-12100), but another server
   * may hand out thousands, and each level of a walk by recursion is a stack frame and a longer
   * section number: deeper parts are left out, and the attachment list is marked as cut.
   */
  static final int MAX_NESTING = 100;

  private MessageMapper() {}

  /**
   * What a sync fetches in one UID FETCH per batch (RFC 9051 §6.4.5): no whole body, the content
   * stays on the server. With {@code textBound > 0}, also the first {@code textBound} bytes of part
   * 1, which is the text of a single-part message and of one whose first part is its text (a
   * multipart/alternative, a text followed by attachments): most mail, read without a second round
   * trip; {@link BodyText} fetches the others' text apart. MODSEQ where CONDSTORE is enabled (RFC
   * 7162 §3.1.5).
   */
  public static String items(boolean condstore, int textBound) {
    return "(UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODYSTRUCTURE BODY.PEEK[HEADER.FIELDS (REFERENCES)]"
        + (textBound > 0 ? " BODY.PEEK[1]<0." + textBound + ">" : "")
        + (condstore ? " MODSEQ)" : ")");
  }

  /**
   * The reply's {@code BODY[1]} ({@code header} false) or its header fields ({@code header} true),
   * or null: a reply of {@link #items} carries both as BODY items.
   */
  public static BODY body(FetchResponse f, boolean header) {
    for (int i = 0, n = f.getItemCount(); i < n; i++) {
      if (f.getItem(i) instanceof BODY b
          && (header ? b.isHeader() : "1".equals(b.getSection()) && b.getOrigin() <= 0)) {
        return b;
      }
    }
    return null;
  }

  /** The message's UID in a FETCH reply, or -1 when the reply has none. */
  public static long uid(FetchResponse f) {
    UID uid = f.getItem(UID.class);
    return uid == null ? -1 : uid.uid;
  }

  /** The BODYSTRUCTURE of a FETCH reply, or null. */
  public static BODYSTRUCTURE structure(FetchResponse f) {
    return f.getItem(BODYSTRUCTURE.class);
  }

  /**
   * @throws MessagingException when the reply lacks an item every message has (ENVELOPE, FLAGS):
   *     the message is then skipped with that reason
   */
  public static MessageAdded toEvent(
      AccountId account,
      MailboxPath mailbox,
      UidValidity uidValidity,
      FetchResponse f,
      BodyText.Text text)
      throws MessagingException {
    ENVELOPE envelope = f.getItem(ENVELOPE.class);
    FLAGS flags = f.getItem(FLAGS.class);
    long uid = uid(f);
    if (envelope == null || flags == null || uid < 1) {
      throw new MessagingException(
          "the server's FETCH reply lacks "
              + (uid < 1 ? "UID" : envelope == null ? "ENVELOPE" : "FLAGS"));
    }
    List<String> cut = new ArrayList<>();
    String messageId = cap(envelope.messageId, "messageId", cut);
    String decodedSubject = decodeSubject(envelope.subject);
    String subject = cap(decodedSubject, "subject", cut);
    InternetAddress[] fromOrSender =
        envelope.from == null || envelope.from.length == 0 ? envelope.sender : envelope.from;
    List<EmailAddress> from = addresses(fromOrSender, MAX_FROM, "from", cut);
    Instant sentAt = envelope.date == null ? null : envelope.date.toInstant();
    INTERNALDATE internalDate = f.getItem(INTERNALDATE.class);
    Instant internal =
        internalDate == null || internalDate.getDate() == null
            ? sentAt
            : internalDate.getDate().toInstant();
    RFC822SIZE size = f.getItem(RFC822SIZE.class);
    long bytes = size == null ? 0 : Math.max(0, size.size);
    MODSEQ modSeq = f.getItem(MODSEQ.class);
    List<MessageAdded.Attachment> attachments = Attachments.of(structure(f), cut);
    String textBody = text == null ? null : text.text();
    String htmlBody = text == null ? null : text.html();
    if (text != null && text.cut()) {
      cut.add(textBody != null ? "textBody" : "htmlBody");
    }
    return new MessageAdded(
        account,
        mailbox,
        uidValidity,
        Uid.of(uid),
        modSeq == null || modSeq.modseq <= 0 ? null : ModSeq.of(modSeq.modseq),
        // The identity hashes the whole values, before any cut: copies of one message must agree.
        MessageIdentity.of(
            envelope.messageId, firstAddress(fromOrSender), sentAt, decodedSubject, bytes),
        messageId,
        subject,
        from,
        addresses(envelope.to, MAX_RECIPIENTS, "to", cut),
        addresses(envelope.cc, MAX_RECIPIENTS, "cc", cut),
        sentAt,
        internal == null ? Instant.EPOCH : internal,
        bytes,
        flags(flags),
        cap(envelope.inReplyTo, "inReplyTo", cut),
        references(f, cut),
        text == null ? null : text.snippet(),
        textBody,
        htmlBody,
        attachments,
        cut);
  }

  /**
   * The same event without its text and with shorter lists: for a broker that refuses the event as
   * too large (a topic's {@code max.message.bytes} below what the connector allows for).
   */
  public static MessageAdded slim(MessageAdded e) {
    List<String> cut = new ArrayList<>(e.truncated());
    List<EmailAddress> to = first(e.to(), 10, "to", cut);
    List<EmailAddress> cc = first(e.cc(), 10, "cc", cut);
    List<MessageAdded.Attachment> attachments = first(e.attachments(), 10, "attachments", cut);
    List<String> references =
        e.references().size() <= 2
            ? e.references()
            : mark(List.of(e.references().getFirst(), e.references().getLast()), "references", cut);
    if (e.textBody() != null) {
      mark(null, "textBody", cut);
    }
    if (e.htmlBody() != null) {
      mark(null, "htmlBody", cut);
    }
    return new MessageAdded(
        e.accountId(),
        e.mailbox(),
        e.uidValidity(),
        e.uid(),
        e.modSeq(),
        e.identity(),
        e.messageId(),
        e.subject(),
        e.from(),
        to,
        cc,
        e.sentAt(),
        e.internalDate(),
        e.size(),
        e.flags(),
        e.inReplyTo(),
        references,
        e.snippet(),
        null,
        null,
        attachments,
        cut);
  }

  private static <T> List<T> first(List<T> list, int max, String field, List<String> cut) {
    return list.size() <= max ? list : mark(list.subList(0, max), field, cut);
  }

  static <T> T mark(T value, String field, List<String> cut) {
    if (!cut.contains(field)) {
      cut.add(field);
    }
    return value;
  }

  private static String cap(String value, String field, List<String> cut) {
    if (value == null || value.length() <= MAX_STRING) {
      return value;
    }
    int end = Character.isHighSurrogate(value.charAt(MAX_STRING - 1)) ? MAX_STRING - 1 : MAX_STRING;
    return mark(value.substring(0, end), field, cut);
  }

  /** As {@code IMAPMessage.getSubject}: unfolded, then RFC 2047 words decoded where they can be. */
  private static String decodeSubject(String raw) {
    if (raw == null) {
      return null;
    }
    try {
      return EncodedWords.decode(MimeUtility.unfold(raw));
    } catch (UnsupportedEncodingException | RuntimeException e) {
      return raw;
    }
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

  /**
   * The first sender's address as the identity has always hashed it (stored identities must not
   * change): capped as {@link #addresses} caps it, and "null" for an envelope address without one.
   */
  private static String firstAddress(InternetAddress[] addresses) {
    if (addresses == null || addresses.length == 0) {
      return null;
    }
    String address = addresses[0].getAddress();
    return address == null
        ? "null"
        : address.length() <= MAX_STRING ? address : address.substring(0, MAX_STRING);
  }

  private static List<EmailAddress> addresses(
      InternetAddress[] addresses, int max, String field, List<String> cut) {
    if (addresses == null) {
      return List.of();
    }
    List<EmailAddress> out = new ArrayList<>(Math.min(addresses.length, max));
    for (InternetAddress a : addresses) {
      if (out.size() == max) {
        mark(null, field, cut);
        break;
      }
      String name = EncodedWords.personal(a);
      String address = a.getAddress();
      out.add(
          new EmailAddress(
              name == null || name.length() <= MAX_STRING
                  ? name
                  : mark(name.substring(0, MAX_STRING), field, cut),
              address == null || address.length() <= MAX_STRING
                  ? address
                  : mark(address.substring(0, MAX_STRING), field, cut)));
    }
    return out;
  }

  /**
   * The message ids of the References header, capped at {@value #MAX_REFERENCES}: the first (the
   * thread's root, RFC 5322 §3.6.4) and the last ones (the nearest parents).
   */
  private static List<String> references(FetchResponse f, List<String> cut)
      throws MessagingException {
    BODY header = body(f, true);
    if (header == null || header.getByteArrayInputStream() == null) {
      return List.of();
    }
    String[] values = new InternetHeaders(header.getByteArrayInputStream()).getHeader("References");
    if (values == null) {
      return List.of();
    }
    List<String> ids = new ArrayList<>();
    for (String value : values) {
      // The tokens between runs of white space (as split("\\s+") gave them), without a regex.
      for (int i = 0, n = value.length(); i < n; ) {
        while (i < n && space(value.charAt(i))) {
          i++;
        }
        int start = i;
        while (i < n && !space(value.charAt(i))) {
          i++;
        }
        if (i - start >= 2
            && i - start <= MAX_STRING
            && value.charAt(start) == '<'
            && value.charAt(i - 1) == '>') {
          ids.add(value.substring(start, i));
        }
      }
    }
    if (ids.size() <= MAX_REFERENCES) {
      return ids;
    }
    List<String> kept = new ArrayList<>(MAX_REFERENCES);
    kept.add(ids.getFirst());
    kept.addAll(ids.subList(ids.size() - (MAX_REFERENCES - 1), ids.size()));
    return mark(kept, "references", cut);
  }

  /** Regex {@code \\s}: space, tab, LF, VT, FF, CR. */
  private static boolean space(char c) {
    return c == ' ' || (c >= '\t' && c <= '\r');
  }
}
