package dev.mailroom.connector.imap;

import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeUtility;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.angus.mail.iap.ByteArray;
import org.eclipse.angus.mail.imap.protocol.BODY;
import org.eclipse.angus.mail.imap.protocol.BODYSTRUCTURE;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.UID;

/**
 * The start of each message's text, for search and a list view: the first text/plain part (or
 * text/html where there is none), located in the message's BODYSTRUCTURE. Part 1 came with the
 * batch's FETCH; any other part is read with partial fetches {@code BODY.PEEK[section]<0.bound>}
 * (RFC 9051 §6.4.5), one UID FETCH per section number in a batch ({@link Plan}), written together
 * by {@link FetchPipeline}, so a batch costs a few commands, not one per message. What is read is
 * cut at {@code bound} characters once decoded, and says so when the part held more. Reading and
 * decoding are apart: the thread that reads the server only keeps the bytes of each part ({@link
 * Raw}), and the thread that maps the batch to events decodes them.
 */
public final class BodyText {

  /**
   * What was read: {@code text} for text/plain, {@code html} for text/html (one is null); {@code
   * cut} when the part is longer than what was read.
   */
  public record Text(String text, String html, String snippet, boolean cut) {}

  private record Located(
      String section, boolean html, String encoding, String charset, long size) {}

  /**
   * A message's text part as the server sent it: at most {@code bound} bytes, transfer-encoded.
   * Holds the reply's bytes until {@link #decode} is called.
   */
  public static final class Raw {

    private final ByteArray bytes;
    private final Located where;
    private final int bound;

    private Raw(ByteArray bytes, Located where, int bound) {
      this.bytes = bytes;
      this.where = where;
      this.bound = bound;
    }

    public Text decode() {
      return BodyText.decode(bytes, where, bound);
    }
  }

  private static final int SNIPPET = 200;

  private BodyText() {}

  /**
   * Where a batch's texts are: those that came with the batch's own FETCH (a text in part 1, taken
   * from the reply's {@code BODY[1]}), and the partial fetches that read the others, one {@code UID
   * FETCH} per section number. The caller writes {@link #commands} and hands each FETCH reply to
   * {@link #take}; a message whose text cannot be located or read has none.
   */
  public static final class Plan {

    private final int bound;
    private final Map<Long, Raw> texts = new HashMap<>();
    private final Map<Long, Located> located = new HashMap<>();
    private final List<String> commands = new ArrayList<>();
    private long takenBytes;

    private Plan(int bound) {
      this.bound = bound;
    }

    /** The partial fetches to write: {@code UID FETCH} commands, one per section number. */
    public List<String> commands() {
      return commands;
    }

    /**
     * A reply to one of {@link #commands}: keeps its text.
     *
     * @return false when it is not a reply this plan asked for (such as a flag change the server
     *     sent along)
     */
    public boolean take(FetchResponse reply) {
      UID uid = reply.getItem(UID.class);
      BODY body = reply.getItem(BODY.class);
      Located l = uid == null ? null : located.get(uid.uid);
      if (l == null || body == null || body.getByteArray() == null) {
        return false;
      }
      texts.put(uid.uid, new Raw(body.getByteArray(), l, bound));
      takenBytes += body.getByteArray().getCount();
      return true;
    }

    /** The bytes of the texts {@link #take} kept. */
    public long takenBytes() {
      return takenBytes;
    }

    /** UID to its text, still to be decoded. */
    public Map<Long, Raw> texts() {
      return texts;
    }
  }

  /**
   * @param replies the batch's FETCH replies of {@link MessageMapper#items}: their BODYSTRUCTURE
   *     locates each text, and a text in part 1 is taken from the reply's own {@code BODY[1]}
   */
  public static Plan plan(List<FetchResponse> replies, int bound) {
    Plan plan = new Plan(bound);
    Map<String, StringBuilder> uidsBySection = new LinkedHashMap<>();
    for (FetchResponse reply : replies) {
      BODYSTRUCTURE structure = MessageMapper.structure(reply);
      Located l = structure == null ? null : locate(structure, "", 0);
      if (l == null) {
        continue;
      }
      long uid = MessageMapper.uid(reply);
      BODY first = l.section().equals("1") ? MessageMapper.body(reply, false) : null;
      if (first != null && first.getByteArray() != null) {
        plan.texts.put(uid, new Raw(first.getByteArray(), l, bound));
        continue;
      }
      plan.located.put(uid, l);
      StringBuilder uids = uidsBySection.computeIfAbsent(l.section(), s -> new StringBuilder());
      uids.append(uids.isEmpty() ? "" : ",").append(uid);
    }
    uidsBySection.forEach(
        (section, uids) ->
            plan.commands.add(
                "UID FETCH " + uids + " (UID BODY.PEEK[" + section + "]<0." + bound + ">)"));
    return plan;
  }

  /**
   * RFC 9051 §6.4.5: a non-multipart message's body is part 1; parts nest as 1.2.3. An attached
   * message (message/rfc822) is not looked into: its text is not this message's. Nor are parts
   * nested deeper than {@link MessageMapper#MAX_NESTING}.
   */
  static Located locate(BODYSTRUCTURE part, String prefix, int depth) {
    if (part.isMulti()) {
      if (depth == MessageMapper.MAX_NESTING) {
        return null;
      }
      Located html = null;
      BODYSTRUCTURE[] children = part.bodies == null ? new BODYSTRUCTURE[0] : part.bodies;
      for (int i = 0; i < children.length; i++) {
        if (Part.ATTACHMENT.equalsIgnoreCase(children[i].disposition)) {
          continue;
        }
        Located found = locate(children[i], prefix + (i + 1) + ".", depth + 1);
        if (found != null && !found.html()) {
          return found;
        }
        if (html == null) {
          html = found;
        }
      }
      return html;
    }
    boolean text = "text".equalsIgnoreCase(part.type);
    boolean plain = text && "plain".equalsIgnoreCase(part.subtype);
    if (!plain && !(text && "html".equalsIgnoreCase(part.subtype))) {
      return null;
    }
    String section = prefix.isEmpty() ? "1" : prefix.substring(0, prefix.length() - 1);
    String charset = part.cParams == null ? null : part.cParams.get("charset");
    return new Located(section, !plain, part.encoding, charset, part.size);
  }

  private static Text decode(ByteArray raw, Located l, int bound) {
    byte[] bytes =
        TextDecoding.decode(raw.getBytes(), raw.getStart(), raw.getCount(), l.encoding());
    if (bytes == null) {
      try (InputStream in = MimeUtility.decode(raw.toByteArrayInputStream(), l.encoding())) {
        bytes = readUpToError(in);
      } catch (MessagingException | IOException e) {
        bytes = new byte[0];
      }
    }
    // Lines end in CRLF on the wire (RFC 5322 §2.1); consumers get plain newlines. In a charset
    // where CR and LF are the ASCII bytes, the CRs go before the bytes become a string.
    Charset charset = charset(l.charset());
    String text;
    if (TextDecoding.asciiLineEnds(charset)) {
      text = new String(bytes, 0, TextDecoding.foldLineEnds(bytes, bytes.length), charset);
    } else {
      text = new String(bytes, charset).replace("\r\n", "\n");
    }
    // The server sends at most `bound` bytes of the encoded part; decoded, a quoted-printable or
    // 8-bit part can still be longer in characters than asked for.
    boolean cut = l.size() > bound || text.length() > bound;
    if (text.length() > bound) {
      int end = Character.isHighSurrogate(text.charAt(bound - 1)) ? bound - 1 : bound;
      text = text.substring(0, end);
    }
    if (l.html()) {
      return new Text(null, text, snippet(TextDecoding.stripTags(text)), cut);
    }
    return new Text(text, null, snippet(text), cut);
  }

  /** A partial fetch may cut a base64 or quoted-printable sequence: keep what decoded. */
  private static byte[] readUpToError(InputStream in) {
    var out = new java.io.ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    try {
      for (int n; (n = in.read(buffer)) > 0; ) {
        out.write(buffer, 0, n);
      }
    } catch (IOException | RuntimeException cutShort) {
      // the bound fell inside an encoded sequence
    }
    return out.toByteArray();
  }

  private static Charset charset(String name) {
    try {
      return name == null
          ? StandardCharsets.UTF_8
          : Charset.forName(MimeUtility.javaCharset(name.strip()));
    } catch (RuntimeException unknown) {
      return StandardCharsets.UTF_8;
    }
  }

  /**
   * The text's first {@value #SNIPPET} characters with runs of white space folded to one space, and
   * an ellipsis when there was more. Reads only as far as it needs, not the whole text.
   */
  static String snippet(String text) {
    StringBuilder out = new StringBuilder(SNIPPET + 1);
    boolean space = false;
    int i = 0;
    for (; i < text.length() && out.length() < SNIPPET; i++) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c) || c == '\u00a0') {
        space = !out.isEmpty();
      } else {
        if (space) {
          out.append(' ');
          space = false;
        }
        out.append(c);
      }
    }
    boolean more = false;
    for (; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!Character.isWhitespace(c) && c != '\u00a0') {
        more = true;
        break;
      }
    }
    if (!more) {
      return out.toString().strip();
    }
    int end = Math.min(out.length(), SNIPPET);
    if (Character.isHighSurrogate(out.charAt(end - 1))) {
      end--; // never half of a character outside the BMP (an emoji)
    }
    return out.substring(0, end).strip() + "\u2026";
  }
}
