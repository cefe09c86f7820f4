package dev.mailroom.connector.session;

/**
 * What has been emitted for a mailbox: every message below {@code uidNext} at {@code uidValidity}.
 * Counters are kept to tell when a new status is worth an event.
 */
record MailboxCheckpoint(long uidValidity, long uidNext, long highestModSeq, long messages, long unseen) {}
