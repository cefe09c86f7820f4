package dev.mailroom.connector.imap;

import dev.mailroom.events.crypto.Sha256;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;

/** The {@code identity} of a {@code message.added}: a hash that copies of one message share. */
final class MessageIdentity {

  private MessageIdentity() {}

  /**
   * The stable identity: what stays the same when a message is moved or copied, and differs between
   * two messages. The Message-ID alone (RFC 5322 §3.6.4) should be that, but senders do reuse one
   * (a mailing list tool giving every post the same id, a client that sends a draft twice), and two
   * different messages would then become one. So a Message-ID is hashed with the sender, the date
   * and the subject, which copies of one message share and reuses of an id rarely do; without a
   * Message-ID the hash takes the size as well. The size is left out where there is a Message-ID
   * because some servers count a copy's size differently.
   */
  static String of(
      String messageId, String fromAddress, Instant sentAt, String subject, long size) {
    String first = fromAddress == null ? "" : fromAddress.toLowerCase(Locale.ROOT);
    String envelope = first + "\u001f" + sentAt + "\u001f" + subject;
    if (messageId != null && !messageId.isBlank()) {
      return "mid:" + sha256(messageId.strip().toLowerCase(Locale.ROOT) + "\u001f" + envelope);
    }
    return "hash:" + sha256(envelope + "\u001f" + size);
  }

  private static String sha256(String text) {
    return HexFormat.of().formatHex(Sha256.digest(text.getBytes(StandardCharsets.UTF_8)));
  }
}
