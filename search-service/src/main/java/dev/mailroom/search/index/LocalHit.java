package dev.mailroom.search.index;

import java.time.Instant;

/** A message the local index matched, at its location; {@code rank} is full-text rank (0 without words). */
public record LocalHit(String accountId, String mailbox, long uidValidity, long uid, String identity, String subject,
    String from, Instant sentAt, double rank) {}
