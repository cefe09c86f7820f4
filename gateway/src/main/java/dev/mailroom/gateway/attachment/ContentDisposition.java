package dev.mailroom.gateway.attachment;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;

/**
 * {@code Content-Disposition: attachment} with the file name as RFC 6266 §4.3 asks: a plain {@code
 * filename} every client reads, and for a name that is not ASCII also {@code filename*} in UTF-8
 * (RFC 8187), which clients that know it prefer.
 */
final class ContentDisposition {

  private ContentDisposition() {}

  static String attachment(String filename) {
    String name = safe(filename);
    String fallback = ascii(name);
    StringBuilder out = new StringBuilder("attachment; filename=\"").append(fallback).append('"');
    if (!fallback.equals(name)) {
      out.append("; filename*=UTF-8''").append(encode(name));
    }
    return out.toString();
  }

  /**
   * No control characters (a CR or LF would end the header) and no path separators (RFC 6266 §4.3:
   * only the last path segment may be used): the name comes from whoever sent the mail.
   */
  private static String safe(String filename) {
    String name = filename == null ? "" : filename;
    StringBuilder out = new StringBuilder();
    name.codePoints()
        .forEach(
            c -> {
              if (Character.isISOControl(c) || c == '/' || c == '\\') {
                out.append('_');
              } else {
                out.appendCodePoint(c);
              }
            });
    String cleaned = out.toString().strip();
    return cleaned.isEmpty() || cleaned.chars().allMatch(c -> c == '.') ? "attachment" : cleaned;
  }

  /** Accents dropped where a letter has a plain form (März -> Marz), anything else '_'. */
  private static String ascii(String name) {
    String decomposed = Normalizer.normalize(name, Normalizer.Form.NFKD);
    StringBuilder out = new StringBuilder();
    for (char c : decomposed.toCharArray()) {
      if (Character.getType(c) == Character.NON_SPACING_MARK) {
        continue;
      }
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '%') {
        out.append('_');
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** RFC 8187 §3.2.1: attr-char as it is, every other octet of the UTF-8 form as %XX. */
  private static String encode(String name) {
    StringBuilder out = new StringBuilder();
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || "!#$&+-.^_`|~".indexOf(c) >= 0) {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        out.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }
}
