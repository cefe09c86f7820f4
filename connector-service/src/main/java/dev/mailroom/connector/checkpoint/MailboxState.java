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
  private boolean restored;

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
   * Marks a state rebuilt from a part of the mail topic whose older records retention removed: some
   * of its events may be gone.
   */
  void markRestored() {
    restored = true;
  }

  /**
   * True for a state rebuilt from a trimmed part of the mail topic that accounts for fewer messages
   * than its last checkpoint counted: the {@code message.added} events of the others are older than
   * the topic's retention. Such a mailbox's locations are read from the server again before its
   * changes are trusted (MailboxSync). Asked once per restore: the answer is cleared.
   */
  public boolean takeRestoredIncomplete() {
    boolean incomplete =
        restored && complete() && known.size() + skipped.size() < checkpoint.messages();
    restored = false;
    return incomplete;
  }
}
