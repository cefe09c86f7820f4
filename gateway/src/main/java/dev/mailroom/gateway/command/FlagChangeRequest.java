package dev.mailroom.gateway.command;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@code PATCH /api/accounts/{id}/messages/{messageId}}: the flags to set; absent ones stay. */
@Schema(description = "Flags to change; a field left out keeps the message's value")
public record FlagChangeRequest(
    @Schema(description = "read (IMAP \\Seen)") Boolean seen,
    @Schema(description = "starred (IMAP \\Flagged)") Boolean flagged,
    @Schema(description = "replied to (IMAP \\Answered)") Boolean answered,
    @Schema(description = "keywords (labels) to add and to remove") Keywords keywords) {

  public record Keywords(List<String> add, List<String> remove) {}
}
