package dev.mailroom.connector.imap;

import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeUtility;
import java.io.UnsupportedEncodingException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.Charset;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * RFC 2047 encoded words in a header's text ({@code =?UTF-8?B?...?=}), decoded as {@link
 * MimeUtility#decodeText} decodes them, at a fraction of its cost: that method reads each word
 * through a decoder stream with an 8 KB buffer of its own, which in a first sync was an eighth of
 * all the connector allocated and a tenth of the time spent mapping messages to events.
 *
 * <p>Only the common case is decoded here: words of the form {@code =?charset?B?...?=} or {@code
 * =?charset?Q?...?=} standing alone between white space, with a charset Java knows, and a payload
 * that is well-formed base64 or Q. Any other word sends the whole text to {@code decodeText}, so
 * the result is always the library's. As there, white space between two encoded words is dropped
 * (RFC 2047 §6.2) and kept everywhere else.
 */
final class EncodedWords {

  /**
   * MIME charset name to Java charset, or empty when Java has none (the library then decides). The
   * names come from mail, so the cache stops growing at {@value #MAX_CHARSETS}; a name past that is
   * looked up each time.
   */
  private static final Map<String, Optional<Charset>> CHARSETS = new ConcurrentHashMap<>();

  private static final int MAX_CHARSETS = 64;

  /**
   * {@code InternetAddress}'s {@code personal} and {@code encodedPersonal}: an address from an
   * ENVELOPE keeps its name encoded, and {@code getPersonal()} would decode it the library's way.
   * Null where the fields cannot be read, and then {@code getPersonal()} does the work.
   */
  private static final VarHandle PERSONAL = field("personal");

  private static final VarHandle ENCODED_PERSONAL = field("encodedPersonal");

  private EncodedWords() {}

  private static VarHandle field(String name) {
    try {
      return MethodHandles.privateLookupIn(InternetAddress.class, MethodHandles.lookup())
          .findVarHandle(InternetAddress.class, name, String.class);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /** {@link InternetAddress#getPersonal()}, its encoded words decoded here. */
  static String personal(InternetAddress address) {
    if (PERSONAL == null || ENCODED_PERSONAL == null) {
      return address.getPersonal();
    }
    String personal = (String) PERSONAL.get(address);
    String encoded = (String) ENCODED_PERSONAL.get(address);
    if (personal != null || encoded == null) {
      return personal;
    }
    try {
      return decode(encoded);
    } catch (UnsupportedEncodingException | RuntimeException e) {
      return encoded; // as getPersonal() has it
    }
  }

  /**
   * @throws UnsupportedEncodingException as {@code decodeText} does, for a word in a charset Java
   *     does not know
   */
  static String decode(String text) throws UnsupportedEncodingException {
    if (!text.contains("=?")) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int space = 0; // where the pending white space starts
    boolean afterWord = false; // the last token was an encoded word
    int n = text.length();
    for (int i = 0; i < n; ) {
      if (isSpace(text.charAt(i))) {
        i++;
        continue;
      }
      int end = i;
      while (end < n && !isSpace(text.charAt(end))) {
        end++;
      }
      boolean encoded = text.startsWith("=?", i);
      if (encoded) {
        if (!word(text, i, end, out, afterWord ? null : text.substring(space, i))) {
          return MimeUtility.decodeText(text);
        }
      } else {
        out.append(text, space, end);
      }
      afterWord = encoded;
      space = end;
      i = end;
    }
    return out.append(text, space, n).toString();
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }

  /**
   * Appends {@code before} (unless null) and the decoded word {@code text[from, to)}.
   *
   * @return false when the word is not one this class decodes (nothing appended then)
   */
  private static boolean word(String text, int from, int to, StringBuilder out, String before) {
    int q1 = text.indexOf('?', from + 2);
    int q2 = q1 < 0 ? -1 : text.indexOf('?', q1 + 1);
    if (q2 != q1 + 2 || q2 >= to) {
      return false;
    }
    int close = text.indexOf("?=", q2 + 1);
    if (close != to - 2) {
      return false; // no end, or text after it: the library's rules
    }
    String name = text.substring(from + 2, q1);
    if (name.indexOf('*') >= 0) {
      return false; // an RFC 2231 language
    }
    Charset charset = charset(name);
    if (charset == null) {
      return false;
    }
    byte[] bytes =
        switch (text.charAt(q1 + 1)) {
          case 'B', 'b' -> base64(text, q2 + 1, close);
          case 'Q', 'q' -> q(text, q2 + 1, close);
          default -> null;
        };
    if (bytes == null) {
      return false;
    }
    if (before != null) {
      out.append(before);
    }
    out.append(new String(bytes, charset));
    return true;
  }

  private static Charset charset(String name) {
    Optional<Charset> known = CHARSETS.get(name);
    if (known == null) {
      known = lookUp(name);
      if (CHARSETS.size() < MAX_CHARSETS) {
        CHARSETS.put(name, known);
      }
    }
    return known.orElse(null);
  }

  private static Optional<Charset> lookUp(String name) {
    try {
      return Optional.of(Charset.forName(MimeUtility.javaCharset(name)));
    } catch (RuntimeException unknown) {
      return Optional.empty();
    }
  }

  /** Base64 with full groups and correct padding only, or null. */
  private static byte[] base64(String text, int from, int to) {
    int length = to - from;
    if (length == 0 || length % 4 != 0) {
      return null;
    }
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      boolean alphabet = TextDecoding.base64Alphabet(c);
      if (!alphabet && !(c == '=' && i >= to - 2 && (i == to - 1 || text.charAt(to - 1) == '='))) {
        return null;
      }
    }
    try {
      return Base64.getDecoder().decode(text.substring(from, to));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** RFC 2047 §4.2: {@code _} is a space, {@code =XX} a byte, printable ASCII itself; else null. */
  private static byte[] q(String text, int from, int to) {
    byte[] out = new byte[to - from];
    int n = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c == '_') {
        out[n++] = ' ';
      } else if (c == '=') {
        int hi = i + 2 < to ? Character.digit(text.charAt(i + 1), 16) : -1;
        int lo = hi < 0 ? -1 : Character.digit(text.charAt(i + 2), 16);
        if (lo < 0) {
          return null;
        }
        out[n++] = (byte) (hi << 4 | lo);
        i += 2;
      } else if (c > ' ' && c < 0x7f) {
        out[n++] = (byte) c;
      } else {
        return null;
      }
    }
    return n == out.length ? out : Arrays.copyOf(out, n);
  }
}
