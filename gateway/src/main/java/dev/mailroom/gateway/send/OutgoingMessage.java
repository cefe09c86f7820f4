package dev.mailroom.gateway.send;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of {@code POST /api/accounts/{id}/outbox} as JSON; the multipart form has the same
 * fields and sends attachments as files. At least one of {@code text} and {@code html}.
 *
 * @param inReplyTo the id of a stored message of this account (as the message API gives it):
 *     In-Reply-To and References are taken from it, so the conversation stays one
 */
public record OutgoingMessage(
    List<String> to,
    List<String> cc,
    List<String> bcc,
    String subject,
    String text,
    String html,
    String inReplyTo,
    List<Attachment> attachments) {

  public OutgoingMessage {
    to = to == null ? List.of() : List.copyOf(to);
    cc = cc == null ? List.of() : List.copyOf(cc);
    bcc = bcc == null ? List.of() : List.copyOf(bcc);
    attachments = attachments == null ? List.of() : List.copyOf(attachments);
  }

  /**
   * @param content the file's bytes (base64 in JSON)
   */
  public record Attachment(
      String filename, String contentType, @Schema(format = "byte") byte[] content) {}

  /** Never prints the text or the attachments. */
  @Override
  public String toString() {
    return "OutgoingMessage[to="
        + to.size()
        + ", cc="
        + cc.size()
        + ", bcc="
        + bcc.size()
        + ", attachments="
        + attachments.size()
        + "]";
  }
}
