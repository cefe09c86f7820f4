package dev.mailroom.connector.checkpoint;

import dev.mailroom.events.model.UidValidity;

/**
 * What the connector has said about one mailbox at one UIDVALIDITY: the locations it announced with
 * their last flags, and the last complete checkpoint (null until a first sync has finished). The
 * location map is what lets a server without QRESYNC tell an expunge (a UID that is gone) and a
 * flag change (flags that differ), and what lets an interrupted first sync resume without sending a
 * message twice. Owned by one session thread: not thread-safe.
 */
public final class MailboxState {

  private final UidValidity uidValidity;
  private final KnownLocations known = new KnownLocations();
  private final java.util.Set<Long> suspects = new java.util.HashSet<>();
  private final java.util.Set<Long> skipped = new java.util.HashSet<>();
  private MailboxCheckpoint checkpoint;
  private Restored restored;

  public MailboxState(UidValidity uidValidity) {
    this.uidValidity = uidValidity;
  }

  public UidValidity uidValidity() {
    return uidValidity;
  }

  /** UID to the flags last announced for it, for every location announced and not expunged. */
  public KnownLocations known() {
    return known;
  }

  public MailboxCheckpoint checkpoint() {
    return checkpoint;
  }

  public void checkpoint(MailboxCheckpoint checkpoint) {
    this.checkpoint = checkpoint;
  }

  /**
   * UIDs of a batch whose FETCH failed: fetched one at a time next, so that one message the client
   * cannot read (a reply the parser refuses, a BYE on it) is skipped alone.
   */
  public java.util.Set<Long> suspects() {
    return suspects;
  }

  /** UIDs given up on with a {@code message.skipped} event: never fetched again. */
  public java.util.Set<Long> skipped() {
    return skipped;
  }

  /** True once a sync of this mailbox has completed at this UIDVALIDITY. */
  public boolean complete() {
    return checkpoint != null;
  }

  /**
   * Marks a state rebuilt from the mail topic.
   *
   * @param trimmed whether retention had removed records of the part of the topic it was read from:
   *     some of its events may be gone
   */
  void markRestored(boolean trimmed) {
    restored = trimmed ? Restored.TRIMMED : Restored.WHOLE;
  }

  /**
   * What a state rebuilt from the mail topic lacks of its last checkpoint: the checkpoint counted
   * more messages than the topic announced. Asked once per restore: the answer is cleared.
   */
  public Gap takeRestoredGap() {
    Gap gap = Gap.NONE;
    if (restored != null && complete() && known.size() + skipped.size() < checkpoint.messages()) {
      gap = restored == Restored.TRIMMED ? Gap.EXPIRED : Gap.UNANNOUNCED;
    }
    restored = null;
    return gap;
  }

  /** Where a state came from: null when not rebuilt from the topic. */
  private enum Restored {
    WHOLE,
    TRIMMED
  }

  /** See {@link #takeRestoredGap}. */
  public enum Gap {
    NONE,
    /**
     * The {@code message.added} events of the others are older than the topic's retention: the
     * mailbox's locations are read back from the server before its changes are trusted.
     */
    EXPIRED,
    /**
     * The topic kept everything, yet announced fewer: adds that never reached it (or expunges since
     * the checkpoint). The mailbox is listed from its first UID, and what was never announced is
     * sent.
     */
    UNANNOUNCED
  }
}
