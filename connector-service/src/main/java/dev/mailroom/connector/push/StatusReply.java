package dev.mailroom.connector.push;

import dev.mailroom.events.model.MailboxPath;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.protocol.BASE64MailboxDecoder;
import org.eclipse.angus.mail.imap.protocol.BASE64MailboxEncoder;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;

/**
 * An untagged {@code STATUS} reply heard on the push connection: the mailbox name exactly as the
 * server sent it, the names a person reads that it may stand for, and the status items.
 *
 * <p>Why not Angus's {@code Status}: it decodes every name as modified UTF-7 (RFC 3501 §5.1.3), and
 * Dovecot 2.3's NOTIFY does not encode its names. Its {@code imap_notify_status} passes the
 * mailbox's internal UTF-8 name to the STATUS reply (and {@code imap_notify_list} to the LIST
 * reply), so {@code Projekte/Überblick} arrives as the 8-bit literal {@code {19}
 * Projekte/Überblick} and {@code Tom & Jerry} as {@code "Tom & Jerry"}, where a STATUS command's
 * answer says {@code Projekte/&ANw-berblick} and {@code "Tom &- Jerry"}. Angus read the literal's
 * bytes as ISO-8859-1 and "decoded" the {@code &} runs, so no such mailbox was known and the change
 * waited for the next STATUS sweep (5 minutes).
 */
record StatusReply(String wire, List<String> names, List<Long> facts) {

  /** The items {@link #facts} holds, in order; -1 for one the reply leaves out. */
  static final List<String> ITEMS =
      List.of("UIDVALIDITY", "UIDNEXT", "MESSAGES", "UNSEEN", "HIGHESTMODSEQ");

  /** The reply as a STATUS, or empty for any other reply or one that cannot be read. */
  static Optional<StatusReply> of(Response r) {
    if (!(r instanceof IMAPResponse ir) || !r.isUnTagged() || !ir.keyEquals("STATUS")) {
      return Optional.empty();
    }
    // Angus's toString maps each byte of the reply, literals included, to one char: lossless.
    // Parsed from a copy, since reading a quoted string with Angus rewrites its buffer in place.
    return parse(r.toString().getBytes(StandardCharsets.ISO_8859_1));
  }

  /** {@code * STATUS <astring> (<item> <number> ...)}, RFC 9051 §7.2.4. */
  static Optional<StatusReply> parse(byte[] line) {
    Cursor in = new Cursor(line);
    if (!in.word().equals("*") || !in.word().equalsIgnoreCase("STATUS")) {
      return Optional.empty();
    }
    byte[] name = in.astring();
    if (name == null || !in.take('(')) {
      return Optional.empty();
    }
    Long[] facts = {-1L, -1L, -1L, -1L, -1L};
    while (!in.take(')')) {
      String item = in.word();
      String value = in.word();
      if (item.isEmpty() || value.isEmpty()) {
        return Optional.empty();
      }
      int at = ITEMS.indexOf(item.toUpperCase(Locale.ROOT));
      try {
        if (at >= 0) {
          facts[at] = Long.parseLong(value);
        }
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
    return Optional.of(
        new StatusReply(
            new String(name, StandardCharsets.ISO_8859_1), names(name), List.of(facts)));
  }

  /** A reader of one reply's bytes. */
  private static final class Cursor {
    private final byte[] b;
    private int i;

    Cursor(byte[] b) {
      this.b = b;
    }

    private void spaces() {
      while (i < b.length && b[i] == ' ') {
        i++;
      }
    }

    boolean take(char c) {
      spaces();
      if (i < b.length && b[i] == c) {
        i++;
        return true;
      }
      return false;
    }

    /** Up to the next space or parenthesis. */
    String word() {
      spaces();
      int start = i;
      while (i < b.length && b[i] != ' ' && b[i] != '(' && b[i] != ')') {
        i++;
      }
      return new String(b, start, i - start, StandardCharsets.ISO_8859_1);
    }

    /**
     * A quoted string, a literal {@code {n}CRLF} followed by n bytes, or an atom; null if
     * malformed.
     */
    byte[] astring() {
      spaces();
      if (i >= b.length) {
        return null;
      }
      if (b[i] == '"') {
        var out = new java.io.ByteArrayOutputStream();
        for (i++; i < b.length && b[i] != '"'; i++) {
          if (b[i] == '\\' && i + 1 < b.length) {
            i++;
          }
          out.write(b[i]);
        }
        return i++ < b.length ? out.toByteArray() : null;
      }
      if (b[i] == '{') {
        int close = i;
        while (close < b.length && b[close] != '}') {
          close++;
        }
        int count;
        try {
          count =
              Integer.parseInt(
                  new String(b, i + 1, close - i - 1, StandardCharsets.ISO_8859_1)
                      .replace("+", ""));
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
          return null;
        }
        int start = close + 3; // past "}" CRLF
        if (count < 0 || start + count > b.length) {
          return null;
        }
        i = start + count;
        return Arrays.copyOfRange(b, start, start + count);
      }
      String atom = word();
      return atom.isEmpty() ? null : atom.getBytes(StandardCharsets.ISO_8859_1);
    }
  }

  /**
   * The mailbox names (decoded, as {@link MailboxPath} holds them) that a name on the wire may
   * stand for, the likelier first. 8-bit bytes are UTF-8 (Dovecot's NOTIFY, or UTF8=ACCEPT of RFC
   * 6855); 7-bit text is modified UTF-7 when it is valid, canonical modified UTF-7, and may still
   * be a raw name that happens to look like it ({@code a&-b}): both are given, and the session
   * ignores a name it does not list. Anything else (an {@code &} that starts no valid run, as in
   * Dovecot's {@code "Tom & Jerry"}) is the raw name.
   */
  static List<String> names(byte[] wire) {
    List<String> out = new ArrayList<>();
    String latin = new String(wire, StandardCharsets.ISO_8859_1);
    boolean eightBit = false;
    for (byte b : wire) {
      eightBit |= b < 0;
    }
    if (eightBit) {
      String utf8 = strictUtf8(wire);
      add(out, utf8 != null ? utf8 : BASE64MailboxDecoder.decode(latin));
      return out;
    }
    if (latin.indexOf('&') >= 0) {
      String decoded = BASE64MailboxDecoder.decode(latin);
      if (BASE64MailboxEncoder.encode(decoded).equals(latin)) {
        add(out, decoded);
      }
    }
    add(out, latin);
    return out;
  }

  private static void add(List<String> out, String name) {
    if (!name.isEmpty()) {
      String path = MailboxPath.of(name).value();
      if (!out.contains(path)) {
        out.add(path);
      }
    }
  }

  private static String strictUtf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
