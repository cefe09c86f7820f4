package dev.mailroom.events;

import dev.mailroom.events.mail.MessageAdded;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.EmailAddress;
import dev.mailroom.events.model.MailboxPath;
import dev.mailroom.events.model.ModSeq;
import dev.mailroom.events.model.Uid;
import dev.mailroom.events.model.UidValidity;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code message.added} read without the object mapper, for the payloads that {@link
 * MessageAddedJson} and the mapper write: one object with the event's own fields, each at most
 * once, strings as strings, whole numbers as numbers. Anything else (an unknown field, a number
 * written as a string, bytes that are not UTF-8, a value the event refuses) returns null, and the
 * caller reads the payload with the mapper, so that a payload decodes to what the mapper makes of
 * it, or fails with its message, whichever way it was read. A test holds the two readers to that.
 */
final class MessageAddedReader {

  private final byte[] in;
  private int pos;

  private MessageAddedReader(byte[] in) {
    this.in = in;
  }

  /**
   * @return the event, or null when this reader does not take the payload
   */
  static MessageAdded read(byte[] json) {
    try {
      return new MessageAddedReader(json).event();
    } catch (NotTaken | RuntimeException e) {
      return null;
    }
  }

  /** The payload is not one this reader takes: the mapper reads it. */
  private static final class NotTaken extends Exception {
    private static final NotTaken INSTANCE = new NotTaken();

    private NotTaken() {
      super(null, null, false, false);
    }
  }

  private MessageAdded event() throws NotTaken {
    AccountId accountId = null;
    MailboxPath mailbox = null;
    UidValidity uidValidity = null;
    Uid uid = null;
    ModSeq modSeq = null;
    String identity = null;
    String messageId = null;
    String subject = null;
    List<EmailAddress> from = null;
    List<EmailAddress> to = null;
    List<EmailAddress> cc = null;
    Instant sentAt = null;
    Instant internalDate = null;
    long size = 0;
    List<String> flags = null;
    String inReplyTo = null;
    List<String> references = null;
    String snippet = null;
    String textBody = null;
    String htmlBody = null;
    List<MessageAdded.Attachment> attachments = null;
    List<String> truncated = null;
    long seen = 0;
    expect('{');
    if (!peek('}')) {
      do {
        String name = string();
        expect(':');
        int field = field(name);
        if ((seen & 1L << field) != 0) {
          throw NotTaken.INSTANCE; // twice: which one counts is the mapper's to say
        }
        seen |= 1L << field;
        switch (field) {
          case 0 -> accountId = isNull() ? null : AccountId.of(string());
          case 1 -> mailbox = isNull() ? null : MailboxPath.of(string());
          case 2 -> uidValidity = isNull() ? null : UidValidity.of(number());
          case 3 -> uid = isNull() ? null : Uid.of(number());
          case 4 -> modSeq = isNull() ? null : ModSeq.of(number());
          case 5 -> identity = optionalString();
          case 6 -> messageId = optionalString();
          case 7 -> subject = optionalString();
          case 8 -> from = addresses();
          case 9 -> to = addresses();
          case 10 -> cc = addresses();
          case 11 -> sentAt = instant();
          case 12 -> internalDate = instant();
          case 13 -> size = number();
          case 14 -> flags = strings();
          case 15 -> inReplyTo = optionalString();
          case 16 -> references = strings();
          case 17 -> snippet = optionalString();
          case 18 -> textBody = optionalString();
          case 19 -> htmlBody = optionalString();
          case 20 -> attachments = attachments();
          case 21 -> truncated = strings();
          default -> throw NotTaken.INSTANCE;
        }
      } while (next('}'));
    }
    skipSpace();
    if (pos != in.length) {
      throw NotTaken.INSTANCE;
    }
    return new MessageAdded(
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
        truncated);
  }

  private static int field(String name) throws NotTaken {
    return switch (name) {
      case "accountId" -> 0;
      case "mailbox" -> 1;
      case "uidValidity" -> 2;
      case "uid" -> 3;
      case "modSeq" -> 4;
      case "identity" -> 5;
      case "messageId" -> 6;
      case "subject" -> 7;
      case "from" -> 8;
      case "to" -> 9;
      case "cc" -> 10;
      case "sentAt" -> 11;
      case "internalDate" -> 12;
      case "size" -> 13;
      case "flags" -> 14;
      case "inReplyTo" -> 15;
      case "references" -> 16;
      case "snippet" -> 17;
      case "textBody" -> 18;
      case "htmlBody" -> 19;
      case "attachments" -> 20;
      case "truncated" -> 21;
      default -> throw NotTaken.INSTANCE; // a field this version does not know
    };
  }

  private List<EmailAddress> addresses() throws NotTaken {
    if (isNull()) {
      return null;
    }
    List<EmailAddress> out = new ArrayList<>();
    expect('[');
    if (!peek(']')) {
      do {
        String name = null;
        String address = null;
        int seen = 0;
        expect('{');
        if (!peek('}')) {
          do {
            String key = string();
            expect(':');
            int bit =
                switch (key) {
                  case "name" -> 1;
                  case "address" -> 2;
                  default -> throw NotTaken.INSTANCE;
                };
            if ((seen & bit) != 0) {
              throw NotTaken.INSTANCE;
            }
            seen |= bit;
            if (bit == 1) {
              name = optionalString();
            } else {
              address = optionalString();
            }
          } while (next('}'));
        }
        out.add(new EmailAddress(name, address));
      } while (next(']'));
    }
    return out;
  }

  private List<MessageAdded.Attachment> attachments() throws NotTaken {
    if (isNull()) {
      return null;
    }
    List<MessageAdded.Attachment> out = new ArrayList<>();
    expect('[');
    if (!peek(']')) {
      do {
        String part = null;
        String filename = null;
        String contentType = null;
        long size = 0;
        int seen = 0;
        expect('{');
        if (!peek('}')) {
          do {
            String key = string();
            expect(':');
            int bit =
                switch (key) {
                  case "part" -> 1;
                  case "filename" -> 2;
                  case "contentType" -> 4;
                  case "size" -> 8;
                  default -> throw NotTaken.INSTANCE;
                };
            if ((seen & bit) != 0) {
              throw NotTaken.INSTANCE;
            }
            seen |= bit;
            switch (bit) {
              case 1 -> part = optionalString();
              case 2 -> filename = optionalString();
              case 4 -> contentType = optionalString();
              default -> size = number();
            }
          } while (next('}'));
        }
        out.add(new MessageAdded.Attachment(part, filename, contentType, size));
      } while (next(']'));
    }
    return out;
  }

  private List<String> strings() throws NotTaken {
    if (isNull()) {
      return null;
    }
    List<String> out = new ArrayList<>();
    expect('[');
    if (!peek(']')) {
      do {
        out.add(string()); // a null element is the mapper's case
      } while (next(']'));
    }
    return out;
  }

  private String optionalString() throws NotTaken {
    return isNull() ? null : string();
  }

  private Instant instant() throws NotTaken {
    // ISO-8601 as the mapper writes and reads it (DateTimeFormatter.ISO_INSTANT); any other form
    // (a number, white space around it) is the mapper's to read.
    return isNull() ? null : Instant.parse(string());
  }

  /**
   * A whole number in the range of a long, without a sign other than '-' or a leading zero; one out
   * of range throws ArithmeticException, and the mapper reads the payload.
   */
  private long number() throws NotTaken {
    skipSpace();
    boolean negative = pos < in.length && in[pos] == '-';
    if (negative) {
      pos++;
    }
    int digits = pos;
    long value = 0;
    while (pos < in.length && in[pos] >= '0' && in[pos] <= '9') {
      value = Math.addExact(Math.multiplyExact(value, 10), in[pos++] - '0');
    }
    int n = pos - digits;
    if (n == 0 || (n > 1 && in[digits] == '0')) {
      throw NotTaken.INSTANCE; // no digit, or a leading zero
    }
    if (pos < in.length && (in[pos] == '.' || in[pos] == 'e' || in[pos] == 'E')) {
      throw NotTaken.INSTANCE; // a fraction or an exponent
    }
    return negative ? -value : value;
  }

  /**
   * A JSON string. Its UTF-8 is decoded strictly (the mapper refuses what Java's decoder refuses
   * and may read some of it otherwise): a string that is not well-formed is the mapper's.
   */
  private String string() throws NotTaken {
    skipSpace();
    if (pos >= in.length || in[pos] != '"') {
      throw NotTaken.INSTANCE;
    }
    int start = ++pos;
    while (pos < in.length && in[pos] != '"' && in[pos] != '\\' && in[pos] >= 0x20) {
      pos++;
    }
    if (pos < in.length && in[pos] == '"') {
      return utf8(start, pos++);
    }
    StringBuilder out = new StringBuilder(pos - start + 16);
    int run = start;
    while (true) {
      if (pos >= in.length) {
        throw NotTaken.INSTANCE;
      }
      byte b = in[pos];
      if (b == '"') {
        out.append(utf8(run, pos++));
        return out.toString();
      }
      if (b >= 0 && b < 0x20) {
        throw NotTaken.INSTANCE; // a raw control character
      }
      if (b != '\\') {
        pos++;
        continue;
      }
      out.append(utf8(run, pos));
      if (pos + 1 >= in.length) {
        throw NotTaken.INSTANCE;
      }
      char c = (char) in[pos + 1];
      pos += 2;
      switch (c) {
        case '"', '\\', '/' -> out.append(c);
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> out.append(hex4());
        default -> throw NotTaken.INSTANCE;
      }
      run = pos;
    }
  }

  private char hex4() throws NotTaken {
    if (pos + 4 > in.length) {
      throw NotTaken.INSTANCE;
    }
    int value = 0;
    for (int i = 0; i < 4; i++) {
      int d = Character.digit(in[pos++], 16);
      if (d < 0) {
        throw NotTaken.INSTANCE;
      }
      value = value << 4 | d;
    }
    return (char) value;
  }

  private String utf8(int from, int to) throws NotTaken {
    boolean ascii = true;
    for (int i = from; i < to && ascii; i++) {
      ascii = in[i] >= 0;
    }
    if (ascii) {
      return new String(in, from, to - from, StandardCharsets.ISO_8859_1);
    }
    try {
      CharBuffer chars =
          StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(in, from, to - from));
      return chars.toString();
    } catch (CharacterCodingException e) {
      throw NotTaken.INSTANCE;
    }
  }

  private boolean isNull() {
    skipSpace();
    if (in.length - pos >= 4
        && in[pos] == 'n'
        && in[pos + 1] == 'u'
        && in[pos + 2] == 'l'
        && in[pos + 3] == 'l') {
      pos += 4;
      return true;
    }
    return false;
  }

  private void expect(char c) throws NotTaken {
    skipSpace();
    if (pos >= in.length || in[pos] != c) {
      throw NotTaken.INSTANCE;
    }
    pos++;
  }

  /** Consumes {@code c} and answers true when it comes next (an empty object or array). */
  private boolean peek(char c) {
    skipSpace();
    if (pos < in.length && in[pos] == c) {
      pos++;
      return true;
    }
    return false;
  }

  /** After an element: true at a comma (another follows), false at {@code close}. */
  private boolean next(char close) throws NotTaken {
    skipSpace();
    if (pos < in.length && in[pos] == ',') {
      pos++;
      return true;
    }
    expect(close);
    return false;
  }

  private void skipSpace() {
    while (pos < in.length
        && (in[pos] == ' ' || in[pos] == '\n' || in[pos] == '\r' || in[pos] == '\t')) {
      pos++;
    }
  }
}
