package dev.mailroom.events.mail;

import dev.mailroom.events.EventIds;
import dev.mailroom.events.EventType;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.EmailAddress;
import dev.mailroom.events.model.MailboxPath;
import dev.mailroom.events.model.ModSeq;
import dev.mailroom.events.model.Uid;
import dev.mailroom.events.model.UidValidity;
import java.time.Instant;
import java.util.List;

/**
 * A message is at a location (mailbox, UIDVALIDITY, UID) on the server. The same message seen again
 * at another location (a move, a copy) carries the same {@code identity}, so a consumer can keep
 * one message with two locations instead of a delete and a new message.
 *
 * @param identity stable identity: {@code mid:} + SHA-256 of the Message-ID with sender, date and
 *     subject (so two messages that reuse one Message-ID stay two), or {@code hash:} + SHA-256 of
 *     sender, date, subject and size where the Message-ID is missing
 * @param modSeq the message's MODSEQ where the server has CONDSTORE, else null
 * @param sentAt the Date header, null when missing or unreadable
 * @param internalDate when the server received it (RFC 9051 §2.3.3)
 * @param snippet the start of the text, whitespace folded, for a list view; null if not fetched
 * @param textBody the text/plain body (or text made from HTML) up to the connector's bound; null if
 *     not fetched
 * @param htmlBody the text/html body up to the bound; null if none or not fetched
 * @param attachments what the message carries; the content stays on the server
 * @param truncated the fields cut to keep the event within its bounds (for instance {@code
 *     textBody}, {@code to}, {@code references}); empty when nothing was cut. A consumer that needs
 *     the whole of a cut field reads it from the server.
 */
public record MessageAdded(
    AccountId accountId,
    MailboxPath mailbox,
    UidValidity uidValidity,
    Uid uid,
    ModSeq modSeq,
    String identity,
    String messageId,
    String subject,
    List<EmailAddress> from,
    List<EmailAddress> to,
    List<EmailAddress> cc,
    Instant sentAt,
    Instant internalDate,
    long size,
    List<String> flags,
    String inReplyTo,
    List<String> references,
    String snippet,
    String textBody,
    String htmlBody,
    List<Attachment> attachments,
    List<String> truncated)
    implements MailEvent {

  /** One attachment's metadata: {@code part} is the IMAP body section (RFC 9051 §6.4.5). */
  public record Attachment(String part, String filename, String contentType, long size) {}

  public MessageAdded {
    from = from == null ? List.of() : List.copyOf(from);
    to = to == null ? List.of() : List.copyOf(to);
    cc = cc == null ? List.of() : List.copyOf(cc);
    flags = flags == null ? List.of() : List.copyOf(flags);
    references = references == null ? List.of() : List.copyOf(references);
    attachments = attachments == null ? List.of() : List.copyOf(attachments);
    truncated = truncated == null ? List.of() : List.copyOf(truncated);
  }

  /** A message with nothing cut. */
  public MessageAdded(
      AccountId accountId,
      MailboxPath mailbox,
      UidValidity uidValidity,
      Uid uid,
      ModSeq modSeq,
      String identity,
      String messageId,
      String subject,
      List<EmailAddress> from,
      List<EmailAddress> to,
      List<EmailAddress> cc,
      Instant sentAt,
      Instant internalDate,
      long size,
      List<String> flags,
      String inReplyTo,
      List<String> references,
      String snippet,
      String textBody,
      String htmlBody,
      List<Attachment> attachments) {
    this(
        accountId,
        mailbox,
        uidValidity,
        uid,
        modSeq,
        identity,
        messageId,
        subject,
        from,
        to,
        cc,
        sentAt,
        internalDate,
        size,
        flags,
        inReplyTo,
        references,
        snippet,
        textBody,
        htmlBody,
        attachments,
        List.of());
  }

  /** The same message with its envelope only, as the first sync of a large mailbox sends it. */
  public MessageAdded(
      AccountId accountId,
      MailboxPath mailbox,
      UidValidity uidValidity,
      Uid uid,
      ModSeq modSeq,
      String identity,
      String messageId,
      String subject,
      List<EmailAddress> from,
      List<EmailAddress> to,
      List<EmailAddress> cc,
      Instant sentAt,
      Instant internalDate,
      long size,
      List<String> flags,
      String inReplyTo,
      List<String> references) {
    this(
        accountId,
        mailbox,
        uidValidity,
        uid,
        modSeq,
        identity,
        messageId,
        subject,
        from,
        to,
        cc,
        sentAt,
        internalDate,
        size,
        flags,
        inReplyTo,
        references,
        null,
        null,
        null,
        List.of(),
        List.of());
  }

  @Override
  public String eventId() {
    return EventIds.of(EventType.MESSAGE_ADDED.ceType(), accountId, mailbox, uidValidity, uid);
  }
}
