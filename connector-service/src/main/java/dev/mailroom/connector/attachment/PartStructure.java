package dev.mailroom.connector.attachment;

import java.util.Locale;
import org.eclipse.angus.mail.imap.protocol.BODYSTRUCTURE;

/**
 * Finds the part a section number names in a message's BODYSTRUCTURE, by the rules of RFC 9051
 * §6.4.5: in a multipart, part n is its nth child; a message that is not multipart has one part, 1;
 * below a message/rfc822 part, the numbers go on in the message it encapsulates.
 */
final class PartStructure {

  /** The section names no single part of the message. */
  static final class NoSuchPart extends Exception {
    NoSuchPart(String message) {
      super(message);
    }
  }

  private PartStructure() {}

  static BODYSTRUCTURE locate(BODYSTRUCTURE message, String section) throws NoSuchPart {
    BODYSTRUCTURE container = message;
    BODYSTRUCTURE part = null;
    StringBuilder walked = new StringBuilder();
    for (String number : section.split("\\.")) {
      if (part != null) {
        if (part.isMulti()) {
          container = part;
        } else if (part.isNested() && part.bodies != null && part.bodies.length == 1) {
          container = part.bodies[0]; // the encapsulated message's own structure
        } else {
          throw new NoSuchPart("part " + walked + " of the message has no parts inside it");
        }
      }
      int n = Integer.parseInt(number);
      walked.append(walked.isEmpty() ? "" : ".").append(n);
      if (container.isMulti()) {
        BODYSTRUCTURE[] bodies = container.bodies == null ? new BODYSTRUCTURE[0] : container.bodies;
        if (n > bodies.length) {
          throw new NoSuchPart("the message has no part " + walked);
        }
        part = bodies[n - 1];
      } else if (n == 1) {
        part = container;
      } else {
        throw new NoSuchPart("the message has no part " + walked);
      }
    }
    if (part.isMulti()) {
      throw new NoSuchPart(
          "part "
              + section
              + " is a multipart container, not a part to download; name one of its parts");
    }
    return part;
  }

  /** {@code type/subtype}, with the charset of a text part (RFC 2046 §4.1.2). */
  static String contentType(BODYSTRUCTURE part) {
    String type =
        (String.valueOf(part.type) + "/" + String.valueOf(part.subtype)).toLowerCase(Locale.ROOT);
    String charset = part.cParams == null ? null : part.cParams.get("charset");
    if (charset != null && type.startsWith("text/") && charset.matches("[A-Za-z0-9._:+-]{1,40}")) {
      return type + "; charset=" + charset;
    }
    return type;
  }
}
