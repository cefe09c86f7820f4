package dev.mailroom.gateway.command;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@code POST /api/accounts/{id}/actions}: one action on up to 1,000 messages. */
@Schema(description = "One action on up to 1,000 messages")
public record BulkActionRequest(
    @Schema(
            description =
                "seen, unseen, flag, unflag, archive, trash, junk, move (with mailbox), or delete"
                    + " (permanent, only for messages in Trash or Junk)",
            example = "archive")
        String action,
    @Schema(description = "message ids, 1 to 1,000") List<String> messageIds,
    @Schema(description = "the destination path, for move only") String mailbox) {}
