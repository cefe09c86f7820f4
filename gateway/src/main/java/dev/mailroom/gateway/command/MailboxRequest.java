package dev.mailroom.gateway.command;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A mailbox's path: the one to create, or the new name of a rename. */
@Schema(
    description =
        "A mailbox path, with the server's hierarchy delimiter as GET .../mailboxes shows it")
public record MailboxRequest(@Schema(example = "Projects.2026") String path) {}
