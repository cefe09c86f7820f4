package dev.mailroom.connector.imap;

import dev.mailroom.events.mail.MessageAdded;
import jakarta.mail.Part;
import java.io.UnsupportedEncodingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eclipse.angus.mail.imap.protocol.BODYSTRUCTURE;

/**
 * Attachment metadata from the BODYSTRUCTURE (RFC 9051 §7.5.2): a part with a file name or an
 * attachment disposition, named by its IMAP section number (RFC 9051 §6.4.5). For {@link
 * MessageMapper}'s {@code message.added}, within its caps.
 */
final class Attachments {

  static final int MAX_ATTACHMENTS = 100;
  static final int MAX_FILENAME = 255;

  private Attachments() {}

  /**
   * The attachments of a message's structure, {@code cut} naming "attachments" when the list was
   * capped or a file name cut, or when parts nest deeper than {@link MessageMapper#MAX_NESTING}.
   */
  static List<MessageAdded.Attachment> of(BODYSTRUCTURE structure, List<String> cut) {
    List<MessageAdded.Attachment> out = new ArrayList<>();
    if (structure != null && structure.isMulti()) {
      walk(structure, "", 1, out, cut);
    }
    return out;
  }

  private static void walk(
      BODYSTRUCTURE multipart,
      String prefix,
      int depth,
      List<MessageAdded.Attachment> out,
      List<String> cut) {
    BODYSTRUCTURE[] parts = multipart.bodies == null ? new BODYSTRUCTURE[0] : multipart.bodies;
    for (int i = 0; i < parts.length; i++) {
      BODYSTRUCTURE part = parts[i];
      String section = prefix + (i + 1);
      if (part.isMulti()) {
        if (depth == MessageMapper.MAX_NESTING) {
          MessageMapper.mark(null, "attachments", cut);
          continue;
        }
        walk(part, section + ".", depth + 1, out, cut);
        continue;
      }
      String filename = filename(part);
      if (Part.ATTACHMENT.equalsIgnoreCase(part.disposition) || filename != null) {
        if (out.size() == MAX_ATTACHMENTS) {
          MessageMapper.mark(null, "attachments", cut);
          return;
        }
        if (filename != null && filename.length() > MAX_FILENAME) {
          filename = MessageMapper.mark(filename.substring(0, MAX_FILENAME), "attachments", cut);
        }
        String type =
            (String.valueOf(part.type) + "/" + String.valueOf(part.subtype))
                .toLowerCase(Locale.ROOT);
        out.add(new MessageAdded.Attachment(section, filename, type, Math.max(0, part.size)));
      }
    }
  }

  /**
   * As {@code IMAPBodyPart.getFileName}: the disposition's {@code filename}, else the type's {@code
   * name} (RFC 2231 continuations and charsets already joined by the parameter list), and RFC 2047
   * words decoded, which many senders still use there although RFC 2047 §5 forbids it.
   */
  private static String filename(BODYSTRUCTURE part) {
    String name = part.dParams == null ? null : part.dParams.get("filename");
    if (name == null && part.cParams != null) {
      name = part.cParams.get("name");
    }
    if (name == null) {
      return null;
    }
    try {
      return EncodedWords.decode(name);
    } catch (UnsupportedEncodingException | RuntimeException e) {
      return name;
    }
  }
}
