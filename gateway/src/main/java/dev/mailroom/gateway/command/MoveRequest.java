package dev.mailroom.gateway.command;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@code POST .../messages/{messageId}/move}: where to, by path or by role (one of the two). */
@Schema(description = "The destination: a mailbox path, or a role (archive, trash, junk, inbox)")
public record MoveRequest(
    @Schema(
            description = "a mailbox path as listed by GET .../mailboxes",
            example = "Projects/2026")
        String mailbox,
    @Schema(description = "archive, trash, junk or inbox", example = "archive") String role) {}
