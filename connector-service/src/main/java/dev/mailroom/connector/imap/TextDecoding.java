package dev.mailroom.connector.imap;

import java.nio.charset.Charset;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;

/**
 * Content-Transfer-Encoding (RFC 2045 §6) and HTML tag stripping for the start of a message's text,
 * over the bytes of a FETCH reply in one pass each. Angus's decoder streams read a byte per call
 * through three stream layers: in a first sync that was 8% of the connector's CPU, more than
 * parsing the FETCH replies themselves. A partial fetch may end inside an encoded sequence: what
 * decoded before it is kept, the cut sequence dropped.
 */
final class TextDecoding {

  /** A byte's value as a hexadecimal digit, or -1. */
  private static final int[] HEX = new int[256];

  /** Base64's 64 letters (RFC 2045 §6.8, Table 1), by byte. */
  private static final boolean[] BASE64 = new boolean[256];

  static {
    for (int b = 0; b < 256; b++) {
      HEX[b] = b < 0x80 ? Character.digit(b, 16) : -1;
      BASE64[b] =
          (b >= 'A' && b <= 'Z')
              || (b >= 'a' && b <= 'z')
              || (b >= '0' && b <= '9')
              || b == '+'
              || b == '/';
    }
  }

  private TextDecoding() {}

  /**
   * The decoded bytes of {@code raw[start, start + count)}, or null for an encoding decoded here
   * only by Angus (uuencode, a base64 part with characters outside its alphabet or padding inside
   * it), which the caller then hands to {@code MimeUtility.decode}.
   */
  static byte[] decode(byte[] raw, int start, int count, String encoding) {
    String e = encoding == null ? "" : encoding.strip().toLowerCase(Locale.ROOT);
    return switch (e) {
      case "", "7bit", "8bit", "binary" -> Arrays.copyOfRange(raw, start, start + count);
      case "quoted-printable" -> quotedPrintable(raw, start, count);
      case "base64" -> base64(raw, start, count);
      default -> null;
    };
  }

  /**
   * Whether CR and LF are the bytes 13 and 10 in this charset and never part of another character:
   * ASCII and its extensions (ISO-8859, windows-125x, UTF-8, Shift_JIS, GBK, Big5, EUC, ISO-2022),
   * not UTF-16 or UTF-32.
   */
  static boolean asciiLineEnds(Charset charset) {
    String name = charset.name();
    return !name.startsWith("UTF-16")
        && !name.startsWith("UTF-32")
        && !name.startsWith("x-UTF-16")
        && !name.startsWith("x-UTF-32")
        && !name.startsWith("IBM"); // EBCDIC code pages
  }

  /**
   * Drops every CR that comes before an LF in {@code bytes[0, count)}, in place.
   *
   * @return the new count
   */
  static int foldLineEnds(byte[] bytes, int count) {
    int n = 0;
    for (int i = 0; i < count; ) {
      int run = i;
      while (i < count && (bytes[i] != '\r' || i + 1 == count || bytes[i + 1] != '\n')) {
        i++;
      }
      if (n != run) {
        System.arraycopy(bytes, run, bytes, n, i - run);
      }
      n += i - run;
      if (i < count) {
        i++; // the CR of a CRLF
      }
    }
    return n;
  }

  /**
   * RFC 2045 §6.7, as Angus's {@code QPDecoderStream} reads it: {@code =XX} is a byte, {@code =} at
   * a line end a soft line break, spaces before a line end are dropped, and an {@code =} followed
   * by anything else stays as it is.
   */
  static byte[] quotedPrintable(byte[] in, int start, int count) {
    byte[] out = new byte[count];
    int n = 0;
    int end = start + count;
    for (int i = start; i < end; ) {
      int run = i;
      // Most of a text: bytes that stand for themselves, copied as one run. A space stands for
      // itself too, unless spaces may end the line here (a space, CR or LF next, or the end).
      while (i < end && in[i] != '=' && (in[i] != ' ' || !mayEndLine(in, i + 1, end))) {
        i++;
      }
      System.arraycopy(in, run, out, n, i - run);
      n += i - run;
      if (i == end) {
        break;
      }
      byte c = in[i];
      if (c == ' ') {
        int j = i;
        while (j < end && in[j] == ' ') {
          j++;
        }
        if (j == end || in[j] == '\r' || in[j] == '\n') {
          i = j; // trailing spaces are padding (§6.7 rule 3)
        } else {
          while (i < j) {
            out[n++] = ' ';
            i++;
          }
        }
      } else { // '='
        if (i + 1 == end) {
          break; // cut after the '='
        }
        byte a = in[i + 1];
        if (a == '\n') {
          i += 2;
        } else if (a == '\r') {
          i += i + 2 < end && in[i + 2] == '\n' ? 3 : 2;
        } else if (i + 2 == end) {
          break; // cut inside =XX
        } else {
          int hi = HEX[a & 0xff], lo = HEX[in[i + 2] & 0xff];
          if (hi >= 0 && lo >= 0) {
            out[n++] = (byte) (hi << 4 | lo);
            i += 3;
          } else {
            out[n++] = c;
            i++;
          }
        }
      }
    }
    return Arrays.copyOf(out, n);
  }

  /** Whether a space before {@code in[next]} may be padding at a line's end (RFC 2045 §6.7). */
  private static boolean mayEndLine(byte[] in, int next, int end) {
    return next == end || in[next] == ' ' || in[next] == '\r' || in[next] == '\n';
  }

  /**
   * RFC 2045 §6.8: line breaks and white space between groups are skipped; a group cut by the
   * partial fetch is dropped. Null (Angus decodes it) for anything but the alphabet, white space
   * and final padding.
   */
  static byte[] base64(byte[] in, int start, int count) {
    byte[] packed = new byte[count];
    int n = 0;
    int padding = 0;
    for (int i = start, end = start + count; i < end; i++) {
      byte c = in[i];
      if (c == '\r' || c == '\n' || c == ' ' || c == '\t') {
        continue;
      }
      boolean alphabet = BASE64[c & 0xff];
      if (c == '=') {
        padding++;
      } else if (!alphabet || padding > 0) {
        return null;
      }
      packed[n++] = c;
    }
    if (padding > 2) {
      return null;
    }
    if (n % 4 != 0) {
      n -= padding + (n - padding) % 4; // cut inside the last group or its padding
    }
    return Base64.getDecoder().decode(Arrays.copyOf(packed, n));
  }

  /** Whether {@code c} is one of base64's 64 letters (RFC 2045 §6.8, Table 1). */
  static boolean base64Alphabet(int c) {
    return c >= 0 && c < 256 && BASE64[c];
  }

  /**
   * As {@code TAG.replace(STYLE_OR_SCRIPT.replace(html, " "), " ")} with {@code STYLE_OR_SCRIPT =
   * (?s)<(style|script)[^>]*>.*?</\1>} and {@code TAG = <[^>]*>}: style and script elements with
   * their content, then every tag, each become one space. Two passes, as the two expressions ran
   * one after the other.
   */
  static String stripTags(String html) {
    return tags(styleAndScript(html));
  }

  private static String styleAndScript(String s) {
    StringBuilder out = null;
    int copied = 0;
    for (int lt = s.indexOf('<'); lt >= 0; lt = s.indexOf('<', lt + 1)) {
      int after = element(s, lt, "style");
      if (after < 0) {
        after = element(s, lt, "script");
      }
      if (after >= 0) {
        out = out == null ? new StringBuilder(s.length()) : out;
        out.append(s, copied, lt).append(' ');
        copied = after;
        lt = after - 1;
      }
    }
    return out == null ? s : out.append(s, copied, s.length()).toString();
  }

  /** The end of {@code <name...>...</name>} starting at {@code lt}, or -1. */
  private static int element(String s, int lt, String name) {
    if (!s.startsWith(name, lt + 1)) {
      return -1;
    }
    int gt = s.indexOf('>', lt + 1 + name.length());
    if (gt < 0) {
      return -1;
    }
    String close = "</" + name + ">";
    int end = s.indexOf(close, gt + 1);
    return end < 0 ? -1 : end + close.length();
  }

  private static String tags(String s) {
    int lt = s.indexOf('<');
    if (lt < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    int copied = 0;
    for (; lt >= 0; lt = s.indexOf('<', copied)) {
      int gt = s.indexOf('>', lt + 1);
      if (gt < 0) {
        break; // no '>' after it: no tag starts here or later
      }
      out.append(s, copied, lt).append(' ');
      copied = gt + 1;
    }
    return out.append(s, copied, s.length()).toString();
  }
}
