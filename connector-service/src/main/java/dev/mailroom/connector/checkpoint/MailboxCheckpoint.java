package dev.mailroom.connector.checkpoint;

/**
 * The last complete sync point of a mailbox: every message below {@code uidNext} at {@code
 * uidValidity} has been emitted, and every change up to {@code highestModSeq} (0 without
 * CONDSTORE). The counters tell whether a new STATUS is worth a look.
 */
public record MailboxCheckpoint(long uidValidity, long uidNext, long highestModSeq, long messages, long unseen) {}
