package dev.mailroom.connector.attachment;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Attachment downloads (ADR 0011), under {@code mailroom.attachments.*}. */
@ConfigMapping(prefix = "mailroom.attachments")
public interface AttachmentConfig {

  /**
   * Octets asked of the server per partial fetch ({@code BODY.PEEK[section]<offset.length>}): what
   * one download holds in memory at a time, whatever the attachment's size.
   */
  @WithDefault("262144")
  int chunkSize();

  /**
   * Downloads of one account at the same time, each on an IMAP connection of its own beside the
   * session's two: a server may allow an account few connections (Gmail: 15).
   */
  @WithDefault("2")
  int perAccount();

  /** Downloads of this instance at the same time: memory stays below this many chunks. */
  @WithDefault("16")
  int concurrent();

  /** How long a download waits for its turn before it is refused with 429 and Retry-After. */
  @WithDefault("5s")
  Duration queueWait();
}
