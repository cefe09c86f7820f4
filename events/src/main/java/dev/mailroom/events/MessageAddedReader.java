package dev.mailroom.events;

import dev.mailroom.events.mail.MessageAdded;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.EmailAddress;
import dev.mailroom.events.model.MailboxPath;
import dev.mailroom.events.model.ModSeq;
import dev.mailroom.events.model.Uid;
import dev.mailroom.events.model.UidValidity;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

  /** A string with escapes, undone. */
  private byte[] scratch = new byte[256];

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

  /** The event's fields, in the order of its record components. */
  private static final Map<String, Integer> FIELDS =
      indexes(
          "accountId",
          "mailbox",
          "uidValidity",
          "uid",
          "modSeq",
          "identity",
          "messageId",
          "subject",
          "from",
          "to",
          "cc",
          "sentAt",
          "internalDate",
          "size",
          "flags",
          "inReplyTo",
          "references",
          "snippet",
          "textBody",
          "htmlBody",
          "attachments",
          "truncated");

  private static final Map<String, Integer> ADDRESS = indexes("name", "address");

  private static final Map<String, Integer> ATTACHMENT =
      indexes("part", "filename", "contentType", "size");

  private static Map<String, Integer> indexes(String... names) {
    Map<String, Integer> out = new HashMap<>();
    for (int i = 0; i < names.length; i++) {
      out.put(names[i], i);
    }
    return Map.copyOf(out);
  }

  /** Reads the value of the field at {@code index} of an object's field list. */
  @FunctionalInterface
  private interface Field {
    void read(int index) throws NotTaken;
  }

  /** Reads one element of an array. */
  @FunctionalInterface
  private interface Element<T> {
    T read() throws NotTaken;
  }

  private MessageAdded event() throws NotTaken {
    Object[] v = new Object[FIELDS.size()];
    object(
        FIELDS,
        i ->
            v[i] =
                switch (i) {
                  case 0 -> isNull() ? null : AccountId.of(string());
                  case 1 -> isNull() ? null : MailboxPath.of(string());
                  case 2 -> isNull() ? null : UidValidity.of(number());
                  case 3 -> isNull() ? null : Uid.of(number());
                  case 4 -> isNull() ? null : ModSeq.of(number());
                  case 8, 9, 10 -> list(this::address);
                  case 11, 12 -> instant();
                  case 13 -> number();
                  case 14, 16, 21 -> list(this::string); // a null element is the mapper's case
                  case 20 -> list(this::attachment);
                  default -> optionalString();
                });
    skipSpace();
    if (pos != in.length) {
      throw NotTaken.INSTANCE;
    }
    return new MessageAdded(
        (AccountId) v[0],
        (MailboxPath) v[1],
        (UidValidity) v[2],
        (Uid) v[3],
        (ModSeq) v[4],
        (String) v[5],
        (String) v[6],
        (String) v[7],
        addresses(v[8]),
        addresses(v[9]),
        addresses(v[10]),
        (Instant) v[11],
        (Instant) v[12],
        v[13] == null ? 0 : (Long) v[13],
        strings(v[14]),
        (String) v[15],
        strings(v[16]),
        (String) v[17],
        (String) v[18],
        (String) v[19],
        attachments(v[20]),
        strings(v[21]));
  }

  /**
   * An object whose fields are among {@code names}, each at most once; another field, or one twice
   * (which one counts is the mapper's to say), is the mapper's.
   */
  private void object(Map<String, Integer> names, Field field) throws NotTaken {
    long seen = 0;
    expect('{');
    if (peek('}')) {
      return;
    }
    do {
      Integer index = names.get(string());
      expect(':');
      if (index == null || (seen & 1L << index) != 0) {
        throw NotTaken.INSTANCE;
      }
      seen |= 1L << index;
      field.read(index);
    } while (next('}'));
  }

  /** An array, or null. */
  private <T> List<T> list(Element<T> element) throws NotTaken {
    if (isNull()) {
      return null;
    }
    List<T> out = new ArrayList<>();
    expect('[');
    if (!peek(']')) {
      do {
        out.add(element.read());
      } while (next(']'));
    }
    return out;
  }

  private EmailAddress address() throws NotTaken {
    String[] v = new String[ADDRESS.size()];
    object(ADDRESS, i -> v[i] = optionalString());
    return new EmailAddress(v[0], v[1]);
  }

  private MessageAdded.Attachment attachment() throws NotTaken {
    Object[] v = new Object[ATTACHMENT.size()];
    object(ATTACHMENT, i -> v[i] = i == 3 ? (Object) number() : optionalString());
    return new MessageAdded.Attachment(
        (String) v[0], (String) v[1], (String) v[2], v[3] == null ? 0 : (Long) v[3]);
  }

  @SuppressWarnings("unchecked")
  private static List<EmailAddress> addresses(Object list) {
    return (List<EmailAddress>) list;
  }

  @SuppressWarnings("unchecked")
  private static List<String> strings(Object list) {
    return (List<String>) list;
  }

  @SuppressWarnings("unchecked")
  private static List<MessageAdded.Attachment> attachments(Object list) {
    return (List<MessageAdded.Attachment>) list;
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
   * A JSON string. Escapes are undone on the bytes, a {@code \\u} escape written as its UTF-8 (a
   * surrogate pair as the one character it encodes), and the bytes decoded once. A string that is
   * not well-formed UTF-8, or holds a lone surrogate, is the mapper's: Java's decoder and the
   * mapper's do not agree on those.
   */
  private String string() throws NotTaken {
    skipSpace();
    if (pos >= in.length || in[pos] != '"') {
      throw NotTaken.INSTANCE;
    }
    int start = ++pos;
    while (pos < in.length && plain(in[pos])) {
      pos++;
    }
    if (pos < in.length && in[pos] == '"') {
      return utf8(in, start, pos++ - start);
    }
    int n = pos - start;
    byte[] out = room(n);
    System.arraycopy(in, start, out, 0, n);
    while (true) {
      int run = pos;
      while (pos < in.length && plain(in[pos])) {
        pos++;
      }
      out = room(n + (pos - run) + 4); // the run, and the most an escape after it writes
      System.arraycopy(in, run, out, n, pos - run);
      n += pos - run;
      if (pos >= in.length) {
        throw NotTaken.INSTANCE;
      }
      byte b = in[pos];
      if (b == '"') {
        pos++;
        return utf8(scratch, 0, n);
      }
      if (b != '\\' || pos + 1 >= in.length) {
        throw NotTaken.INSTANCE; // a raw control character, or the payload ends
      }
      byte e = in[pos + 1];
      pos += 2;
      switch (e) {
        case '"', '\\', '/' -> out[n++] = e;
        case 'b' -> out[n++] = '\b';
        case 'f' -> out[n++] = '\f';
        case 'n' -> out[n++] = '\n';
        case 'r' -> out[n++] = '\r';
        case 't' -> out[n++] = '\t';
        case 'u' -> n = codePoint(out, n);
        default -> throw NotTaken.INSTANCE;
      }
    }
  }

  /** A byte written as it is inside a string: not a quote, a backslash or a control character. */
  private static boolean plain(byte b) {
    return b != '"' && b != '\\' && (b < 0 || b >= 0x20);
  }

  /** The scratch buffer, grown to hold at least {@code size} bytes (what it held kept). */
  private byte[] room(int size) {
    if (scratch.length < size) {
      scratch = Arrays.copyOf(scratch, Math.max(size, scratch.length * 2));
    }
    return scratch;
  }

  /** The character of a {@code \\u} escape (and of the low surrogate's after a high one). */
  private int codePoint(byte[] out, int n) throws NotTaken {
    int c = hex4();
    if (Character.isHighSurrogate((char) c)
        && pos + 1 < in.length
        && in[pos] == '\\'
        && in[pos + 1] == 'u') {
      pos += 2;
      int low = hex4();
      if (!Character.isLowSurrogate((char) low)) {
        throw NotTaken.INSTANCE;
      }
      c = Character.toCodePoint((char) c, (char) low);
    } else if (Character.isSurrogate((char) c)) {
      throw NotTaken.INSTANCE; // alone
    }
    if (c < 0x80) {
      out[n++] = (byte) c;
    } else if (c < 0x800) {
      out[n++] = (byte) (0xC0 | c >> 6);
      out[n++] = (byte) (0x80 | c & 0x3F);
    } else if (c < 0x10000) {
      out[n++] = (byte) (0xE0 | c >> 12);
      out[n++] = (byte) (0x80 | c >> 6 & 0x3F);
      out[n++] = (byte) (0x80 | c & 0x3F);
    } else {
      out[n++] = (byte) (0xF0 | c >> 18);
      out[n++] = (byte) (0x80 | c >> 12 & 0x3F);
      out[n++] = (byte) (0x80 | c >> 6 & 0x3F);
      out[n++] = (byte) (0x80 | c & 0x3F);
    }
    return n;
  }

  private int hex4() throws NotTaken {
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
    return value;
  }

  /**
   * Java's fast decoding; where it had to replace something (a U+FFFD in the result), a strict
   * decoder says whether the bytes held that character or were not UTF-8.
   */
  private static String utf8(byte[] bytes, int from, int length) throws NotTaken {
    String text = new String(bytes, from, length, StandardCharsets.UTF_8);
    if (text.indexOf('\uFFFD') >= 0) {
      try {
        StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, from, length));
      } catch (CharacterCodingException e) {
        throw NotTaken.INSTANCE;
      }
    }
    return text;
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
