package dev.mailroom.search.index;

import java.time.Instant;

/**
 * A message the local index matched, at its location; {@code rank} is unused (0): local results are
 * newest first.
 */
public record LocalHit(
    String accountId,
    String mailbox,
    long uidValidity,
    long uid,
    String identity,
    String subject,
    String from,
    Instant sentAt,
    double rank) {}
