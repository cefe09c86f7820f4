package dev.mailroom.sync.ingest;

import dev.mailroom.events.crypto.Sha256;
import dev.mailroom.events.mail.MessageAdded;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which conversation a message joins, decided once when its identity row is made.
 *
 * <p>RFC 5322 §3.6.4: a reply's References starts with the Message-ID of the thread's first message
 * (In-Reply-To names its parent when References is missing), so the thread's root id is known from
 * any message of the thread, whatever order they arrive in: newest first in a first sync. A message
 * with neither header whose subject says it is a reply or a forward ("Re:", "Fwd:") joins the
 * latest conversation with the same subject; any other message starts its own. The thread id is a
 * hash of the root's Message-ID, so it is the same for every member and safe in a URL.
 */
final class Threading {

  private static final Pattern PREFIX =
      Pattern.compile(
          "^\\s*((re|fw|fwd|aw|wg|sv|vs)(\\[\\d+])?\\s*:\\s*)+", Pattern.CASE_INSENSITIVE);

  private Threading() {}

  /**
   * @param threadId the thread from References / In-Reply-To, or this message's own when it starts
   *     one; null when the subject decides
   * @param ownThreadId the message's own thread, if the subject finds none
   * @param subjectKey the subject without reply prefixes, lower case; null when blank
   */
  record Keys(String threadId, String ownThreadId, String subjectKey) {}

  static Keys keys(MessageAdded m) {
    String own = hash(m.messageId() != null ? m.messageId() : m.identity());
    String subject = m.subject() == null ? "" : m.subject();
    String key = PREFIX.matcher(subject).replaceFirst("").strip().toLowerCase(Locale.ROOT);
    String subjectKey = key.isEmpty() ? null : key;
    String root = !m.references().isEmpty() ? m.references().getFirst() : m.inReplyTo();
    if (root != null && !root.isBlank()) {
      return new Keys(hash(root.strip()), own, subjectKey);
    }
    boolean reply = subjectKey != null && PREFIX.matcher(subject).lookingAt();
    return new Keys(reply ? null : own, own, subjectKey);
  }

  private static String hash(String messageId) {
    byte[] digest = Sha256.digest(messageId.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(digest, 0, 16);
  }
}
