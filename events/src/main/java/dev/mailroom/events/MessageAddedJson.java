package dev.mailroom.events;

import dev.mailroom.events.mail.MessageAdded;
import dev.mailroom.events.model.EmailAddress;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * {@code message.added} written without the object mapper: the same bytes as {@link
 * EventCodec#mapper()} writes (field order, null fields left out, escapes), for the one event a
 * first sync sends ten thousands of. The mapper's reflection and serializer dispatch cost more than
 * the writing itself: in a first sync a third of the thread that hands events to Kafka.
 *
 * <p>Strings are written as the mapper writes them: UTF-8, with {@code "}, {@code \} and control
 * characters escaped (the short forms for backspace, tab, form feed, new line and return, {@code
 * \}{@code u00XX} for the others), and each UTF-16 surrogate, paired or not, as a {@code \}{@code
 * uXXXX} escape. A test compares the two writers byte for byte.
 */
final class MessageAddedJson {

  private static final byte[] HEX = "0123456789ABCDEF".getBytes();

  private byte[] buf;
  private int len;

  /** The string being written, copied out of it. */
  private char[] chars = new char[256];

  private MessageAddedJson(int capacity) {
    buf = new byte[capacity];
  }

  static byte[] encode(MessageAdded m) {
    MessageAddedJson out = new MessageAddedJson(estimate(m));
    out.raw('{');
    out.name("accountId", true).string(m.accountId().toString());
    out.name("mailbox", false).string(m.mailbox().value());
    out.name("uidValidity", false).number(m.uidValidity().value());
    out.name("uid", false).number(m.uid().value());
    if (m.modSeq() != null) {
      out.name("modSeq", false).number(m.modSeq().value());
    }
    out.optional("identity", m.identity());
    out.optional("messageId", m.messageId());
    out.optional("subject", m.subject());
    out.name("from", false).addresses(m.from());
    out.name("to", false).addresses(m.to());
    out.name("cc", false).addresses(m.cc());
    out.optional("sentAt", m.sentAt());
    out.optional("internalDate", m.internalDate());
    out.name("size", false).number(m.size());
    out.name("flags", false).strings(m.flags());
    out.optional("inReplyTo", m.inReplyTo());
    out.name("references", false).strings(m.references());
    out.optional("snippet", m.snippet());
    out.optional("textBody", m.textBody());
    out.optional("htmlBody", m.htmlBody());
    out.name("attachments", false).raw('[');
    List<MessageAdded.Attachment> attachments = m.attachments();
    for (int i = 0; i < attachments.size(); i++) {
      MessageAdded.Attachment a = attachments.get(i);
      out.separator(i).raw('{');
      boolean none = true;
      if (a.part() != null) {
        out.name("part", true).string(a.part());
        none = false;
      }
      if (a.filename() != null) {
        out.name("filename", none).string(a.filename());
        none = false;
      }
      if (a.contentType() != null) {
        out.name("contentType", none).string(a.contentType());
        none = false;
      }
      out.name("size", none).number(a.size()).raw('}');
    }
    out.raw(']');
    out.name("truncated", false).strings(m.truncated());
    out.raw('}');
    return Arrays.copyOf(out.buf, out.len);
  }

  /** Enough for most events at once: the strings' lengths, a non-ASCII character taking three. */
  private static int estimate(MessageAdded m) {
    int chars = 512;
    chars += length(m.subject()) + length(m.snippet()) + length(m.textBody());
    chars += length(m.htmlBody()) + length(m.messageId()) + length(m.inReplyTo());
    chars += m.mailbox().value().length();
    for (String r : m.references()) {
      chars += r.length() + 3;
    }
    chars += (m.from().size() + m.to().size() + m.cc().size()) * 64;
    chars += m.attachments().size() * 96;
    return Math.min(chars + chars / 8, 1 << 24);
  }

  private static int length(String s) {
    return s == null ? 0 : s.length();
  }

  private void optional(String name, String value) {
    if (value != null) {
      name(name, false).string(value);
    }
  }

  private void optional(String name, Instant value) {
    if (value != null) {
      // ISO-8601 in UTC, as the mapper's InstantSerializer writes it
      // (DateTimeFormatter.ISO_INSTANT)
      name(name, false).string(value.toString());
    }
  }

  private MessageAddedJson addresses(List<EmailAddress> list) {
    raw('[');
    for (int i = 0; i < list.size(); i++) {
      EmailAddress a = list.get(i);
      separator(i).raw('{');
      boolean none = true;
      if (a.name() != null) {
        name("name", true).string(a.name());
        none = false;
      }
      if (a.address() != null) {
        name("address", none).string(a.address());
      }
      raw('}');
    }
    return raw(']');
  }

  private MessageAddedJson strings(List<String> list) {
    raw('[');
    for (int i = 0; i < list.size(); i++) {
      separator(i);
      String s = list.get(i);
      if (s == null) {
        ascii("null");
      } else {
        string(s);
      }
    }
    return raw(']');
  }

  /** {@code "name":}, after a comma unless it is the object's first field. */
  private MessageAddedJson name(String name, boolean first) {
    if (!first) {
      raw(',');
    }
    raw('"').ascii(name).raw('"');
    return raw(':');
  }

  private MessageAddedJson number(long value) {
    return ascii(Long.toString(value));
  }

  private MessageAddedJson ascii(String s) {
    ensure(s.length());
    for (int i = 0, n = s.length(); i < n; i++) {
      buf[len++] = (byte) s.charAt(i);
    }
    return this;
  }

  /** The comma before an array's element {@code i}, none before the first. */
  private MessageAddedJson separator(int i) {
    return i == 0 ? this : raw(',');
  }

  private MessageAddedJson raw(char b) {
    ensure(1);
    buf[len++] = (byte) b;
    return this;
  }

  private void string(String s) {
    int n = s.length();
    ensure(n * 3 + 2); // a character is at most three bytes, or six as an escape (ensured there)
    if (chars.length < n) {
      chars = new char[Math.max(n, chars.length * 2)];
    }
    char[] cs = chars;
    s.getChars(0, n, cs, 0); // one bulk copy: charAt per character was half of the writing
    byte[] b = buf;
    int p = len;
    b[p++] = '"';
    for (int i = 0; i < n; i++) {
      char c = cs[i];
      if (c < 0x80) {
        if (c >= 0x20 && c != '"' && c != '\\') {
          b[p++] = (byte) c;
        } else {
          len = p;
          escape(c, n - i);
          b = buf;
          p = len;
        }
      } else if (c < 0x800) {
        b[p++] = (byte) (0xC0 | (c >> 6));
        b[p++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isSurrogate(c)) {
        len = p;
        escape(c, n - i);
        b = buf;
        p = len;
      } else {
        b[p++] = (byte) (0xE0 | (c >> 12));
        b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        b[p++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    b[p++] = '"';
    len = p;
  }

  /** An escape, with room kept for the {@code left} characters still to write after it. */
  private void escape(char c, int left) {
    ensure(6 + left * 3 + 1);
    byte[] b = buf;
    int p = len;
    b[p++] = '\\';
    switch (c) {
      case '"' -> b[p++] = '"';
      case '\\' -> b[p++] = '\\';
      case '\b' -> b[p++] = 'b';
      case '\t' -> b[p++] = 't';
      case '\f' -> b[p++] = 'f';
      case '\n' -> b[p++] = 'n';
      case '\r' -> b[p++] = 'r';
      default -> {
        b[p++] = 'u';
        b[p++] = HEX[(c >> 12) & 0xF];
        b[p++] = HEX[(c >> 8) & 0xF];
        b[p++] = HEX[(c >> 4) & 0xF];
        b[p++] = HEX[c & 0xF];
      }
    }
    len = p;
  }

  private void ensure(int more) {
    if (len + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
    }
  }
}
