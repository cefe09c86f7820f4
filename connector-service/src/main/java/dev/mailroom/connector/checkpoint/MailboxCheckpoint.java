package dev.mailroom.connector.checkpoint;

import java.time.Instant;

/**
 * The last complete sync point of a mailbox: every message below {@code uidNext} at {@code
 * uidValidity} has been emitted, and every change up to {@code highestModSeq} (0 without
 * CONDSTORE). The counters tell whether a new STATUS is worth a look; {@code publishedAt} tells
 * when the status that carries it was last written to the mail topic, which must happen again
 * before the topic's retention removes it (docs/adr/0002).
 */
public record MailboxCheckpoint(long uidValidity, long uidNext, long highestModSeq, long messages, long unseen,
    Instant publishedAt) {}
