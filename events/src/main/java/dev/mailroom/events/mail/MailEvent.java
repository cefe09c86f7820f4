package dev.mailroom.events.mail;

import dev.mailroom.events.MailroomEvent;

/**
 * An event of the mail topic ({@code mailroom.mail.v1}). Sealed, so that a consumer's {@code
 * switch} over it must name every mail event type: a new type fails to compile where it is not
 * handled, instead of falling silently into a {@code default}. A consumer of the mail topic alone
 * switches over this; one that reads several topics switches over the sealed {@link MailroomEvent},
 * naming the other topics by their own interfaces.
 */
public sealed interface MailEvent extends MailroomEvent
    permits MessageAdded,
        FlagsChanged,
        MessageExpunged,
        MessageSkipped,
        MailboxChanged,
        MailboxStatus,
        SyncProgress,
        CommandApplied,
        CommandFailed {}
