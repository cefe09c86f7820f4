package dev.mailroom.connector.verify;

import java.util.Map;

/**
 * Decides from two samples whether two host names serve the same mailbox. Pure, so every rule is
 * tested without a server.
 *
 * <p>Why UIDVALIDITY and Message-IDs: RFC 9051 §2.3.1.1 makes (mailbox, UIDVALIDITY, UID) name a
 * message for good, so the same mailbox seen through another name has the same UIDVALIDITY and the
 * same message under each UID. A second server that merely shares a UIDVALIDITY (many derive it
 * from a timestamp) will not also hold the same Message-IDs under the same UIDs.
 */
final class MailboxComparison {

  /** How many of the newest INBOX messages are compared. */
  static final int SAMPLE_SIZE = 20;

  private MailboxComparison() {}

  /** The outcome, with a reason a person can read. */
  record Verdict(boolean same, String reason) {}

  /**
   * @param current the newest messages of the host in use
   * @param proposed the same UIDs as the proposed host shows them; a UID it lacks is absent
   */
  static Verdict compare(InboxSample current, InboxSample proposed) {
    if (current.uidValidity() != proposed.uidValidity()) {
      return different(
          "its INBOX has another UIDVALIDITY ("
              + proposed.uidValidity()
              + " instead of "
              + current.uidValidity()
              + ")");
    }
    int compared = 0;
    int matched = 0;
    for (Map.Entry<Long, String> message : current.messageIdsByUid().entrySet()) {
      if (message.getValue() == null) {
        continue; // nothing to compare this message by
      }
      compared++;
      if (!proposed.messageIdsByUid().containsKey(message.getKey())) {
        continue; // expunged between the two logins, or never there: counted against below
      }
      String other = proposed.messageIdsByUid().get(message.getKey());
      if (!message.getValue().equals(other)) {
        return different("INBOX message UID " + message.getKey() + " has another Message-ID there");
      }
      matched++;
    }
    if (compared == 0) {
      // An empty INBOX (or one without Message-IDs) proves nothing; connecting it as a new
      // account loses nothing either.
      return different(
          "the INBOX has no message with a Message-ID to compare, so the two hosts"
              + " cannot be shown to serve the same mailbox");
    }
    // A message deleted between the two logins is absent on the second host; most must be found.
    if (matched * 2 < compared) {
      return different(
          "only " + matched + " of the newest " + compared + " INBOX messages were found there");
    }
    return new Verdict(
        true,
        "same INBOX UIDVALIDITY and "
            + matched
            + " of the newest "
            + compared
            + " INBOX messages found under the same UIDs with the same Message-IDs");
  }

  private static Verdict different(String why) {
    return new Verdict(
        false, "the new host serves a different mailbox: " + why + "; connect it as a new account");
  }
}
