package dev.mailroom.connector.attachment;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeUtility;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.OptionalLong;
import org.eclipse.angus.mail.imap.IMAPStore;

/**
 * A part ready to stream: its type, its decoded length where the server's size is already that, and
 * its octets decoded from their Content-Transfer-Encoding as they are read. Closing it logs out of
 * the download's connection and frees its turn.
 */
public final class OpenedPart implements AutoCloseable {

  private final String contentType;
  private final String encoding;
  private final long encodedSize;
  private final SectionStream raw;
  private final IMAPStore store;
  private final Runnable release;
  private boolean closed;

  OpenedPart(
      String contentType,
      String encoding,
      long encodedSize,
      SectionStream raw,
      IMAPStore store,
      Runnable release) {
    this.contentType = contentType;
    this.encoding = encoding == null ? "7bit" : encoding.toLowerCase(Locale.ROOT);
    this.encodedSize = encodedSize;
    this.raw = raw;
    this.store = store;
    this.release = release;
  }

  /**
   * The part's type; {@code application/octet-stream} for a transfer encoding this connector does
   * not know, whose octets it then gives as they are (RFC 2045 §6.4).
   */
  public String contentType() {
    return identity() || decodable() ? contentType : "application/octet-stream";
  }

  /**
   * The decoded length: known beforehand only when the part is not transfer-encoded (7bit, 8bit,
   * binary), where the BODYSTRUCTURE size is the length itself; base64 and quoted-printable are
   * decoded as they stream, so their length is known only at the end.
   */
  public OptionalLong length() {
    return identity() ? OptionalLong.of(encodedSize) : OptionalLong.empty();
  }

  /** The transfer encoding as the server reported it, lower case. */
  public String encoding() {
    return encoding;
  }

  /** Octets of the encoded part fetched so far. */
  public long fetched() {
    return raw.fetched();
  }

  /** The decoded octets; read once. */
  public InputStream decoded() throws IOException {
    if (identity() || !decodable()) {
      return raw;
    }
    try {
      return MimeUtility.decode(raw, encoding);
    } catch (MessagingException e) {
      throw new IOException("cannot decode " + encoding + ": " + e.getMessage(), e);
    }
  }

  private boolean identity() {
    return switch (encoding) {
      case "7bit", "8bit", "binary" -> true;
      default -> false;
    };
  }

  private boolean decodable() {
    return switch (encoding) {
      case "base64", "quoted-printable", "uuencode", "x-uuencode", "x-uue" -> true;
      default -> false;
    };
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      store.close();
    } catch (MessagingException | RuntimeException e) {
      // The connection is dropped either way; nothing of the download depends on a clean LOGOUT.
    } finally {
      release.run();
    }
  }
}
