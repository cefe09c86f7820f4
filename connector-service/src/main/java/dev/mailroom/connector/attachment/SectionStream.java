package dev.mailroom.connector.attachment;

import dev.mailroom.connector.imap.ImapCommands;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.io.InputStream;
import org.eclipse.angus.mail.iap.ByteArray;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.protocol.BODY;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.UID;

/**
 * A body part's octets as the server keeps them (still transfer-encoded), read by partial fetches
 * of {@code chunk} octets: {@code UID FETCH uid (UID BODY.PEEK[section]<offset.chunk>)} (RFC 9051
 * §6.4.5). Only one chunk is held at a time. PEEK leaves \Seen alone: downloading is not reading.
 */
final class SectionStream extends InputStream {

  /** The message is no longer in the mailbox (expunged, or moved by someone else) mid-download. */
  static final class VanishedException extends IOException {
    VanishedException(String message) {
      super(message);
    }
  }

  private final IMAPFolder folder;
  private final long uid;
  private final String section;
  private final int chunk;
  private long offset;
  private boolean last;
  private byte[] buf = new byte[0];
  private int pos;
  private int end;

  SectionStream(IMAPFolder folder, long uid, String section, int chunk) {
    this.folder = folder;
    this.uid = uid;
    this.section = section;
    this.chunk = chunk;
  }

  @Override
  public int read() throws IOException {
    if (pos == end && !fill()) {
      return -1;
    }
    return buf[pos++] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (pos == end && !fill()) {
      return -1;
    }
    int n = Math.min(len, end - pos);
    System.arraycopy(buf, pos, b, off, n);
    pos += n;
    return n;
  }

  /** Octets of the part fetched so far. */
  long fetched() {
    return offset;
  }

  private boolean fill() throws IOException {
    if (last) {
      return false;
    }
    Response[] replies;
    try {
      replies =
          ImapCommands.run(
              folder,
              "UID FETCH "
                  + uid
                  + " (UID BODY.PEEK["
                  + section
                  + "]<"
                  + offset
                  + "."
                  + chunk
                  + ">)");
    } catch (MessagingException e) {
      throw new IOException(
          "fetching part " + section + " at " + offset + ": " + e.getMessage(), e);
    }
    ByteArray data = null;
    boolean found = false;
    for (Response r : replies) {
      if (r instanceof FetchResponse f) {
        UID u = f.getItem(UID.class);
        BODY body = f.getItem(BODY.class);
        if (u != null && u.uid == uid && body != null) {
          found = true;
          data = body.getByteArray();
        }
      }
    }
    if (!found) {
      // RFC 9051 §6.4.8: a UID FETCH of a UID that no longer exists answers OK with no FETCH.
      throw new VanishedException("message UID " + uid + " vanished from the mailbox mid-download");
    }
    // RFC 9051 §6.4.5: an origin beyond the end gives an empty string, a shorter one the rest.
    int count = data == null ? 0 : data.getCount();
    last = count < chunk;
    buf = data == null ? new byte[0] : data.getBytes();
    pos = data == null ? 0 : data.getStart();
    end = pos + count;
    offset += count;
    return count > 0;
  }
}
