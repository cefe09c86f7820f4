package dev.mailroom.connector.checkpoint;

import dev.mailroom.events.model.ModSeq;
import dev.mailroom.events.model.UidValidity;
import java.time.Instant;

/**
 * The last complete sync point of a mailbox: every message below {@code uidNext} at {@code
 * uidValidity} has been emitted, and every change up to {@code highestModSeq} ({@link ModSeq#NONE}
 * without CONDSTORE, or for a mailbox that keeps no MODSEQs). The counters tell whether a new
 * STATUS is worth a look; {@code publishedAt} tells when the status that carries it was last
 * written to the mail topic, which must happen again before the topic's retention removes it
 * (docs/adr/0002).
 */
public record MailboxCheckpoint(
    UidValidity uidValidity,
    long uidNext,
    ModSeq highestModSeq,
    long messages,
    long unseen,
    Instant publishedAt) {

  /** Whether the changes since this checkpoint can be asked for by MODSEQ (RFC 7162 §3.1.2.2). */
  public boolean hasModSeq() {
    return highestModSeq.value() > 0;
  }
}
