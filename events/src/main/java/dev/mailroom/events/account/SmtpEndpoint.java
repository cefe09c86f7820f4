package dev.mailroom.events.account;

/**
 * Where and as whom the connector submits the account's outgoing mail (RFC 6409). The password
 * travels apart, sealed: the account's {@code smtpPassword}, or the IMAP one when that is null.
 *
 * @param pinnedCertificateSha256 as in {@link ImapEndpoint}: a self-signed certificate the owner
 *     approved for this server, or null
 * @param savesSentCopy the provider files what it sends in Sent by itself (Gmail, Outlook): the
 *     connector then appends no copy, which would be a second one
 * @param maxMessageSize the server's SIZE limit (RFC 1870) in bytes as the check before saving
 *     found it; null when the server announced none
 */
public record SmtpEndpoint(
    String host,
    int port,
    Security security,
    String username,
    String pinnedCertificateSha256,
    boolean savesSentCopy,
    Long maxMessageSize) {

  public SmtpEndpoint {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("SMTP host is required");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("SMTP port must be 1..65535, got " + port);
    }
    if (security == null) {
      throw new IllegalArgumentException("SMTP security is required");
    }
    if (username == null || username.isBlank()) {
      throw new IllegalArgumentException("SMTP username is required");
    }
    if (pinnedCertificateSha256 != null && !pinnedCertificateSha256.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException(
          "a pinned certificate is 64 lower-case hex digits (SHA-256)");
    }
  }

  public SmtpEndpoint(String host, int port, Security security, String username) {
    this(host, port, security, username, null, false, null);
  }

  public SmtpEndpoint(
      String host,
      int port,
      Security security,
      String username,
      String pinnedCertificateSha256,
      boolean savesSentCopy) {
    this(host, port, security, username, pinnedCertificateSha256, savesSentCopy, null);
  }

  /** The same server with the size limit it announced. */
  public SmtpEndpoint withMaxMessageSize(Long size) {
    return new SmtpEndpoint(
        host, port, security, username, pinnedCertificateSha256, savesSentCopy, size);
  }
}
