package dev.mailroom.events.account;

/**
 * Where and as whom the connector logs in. The password travels apart, sealed.
 *
 * @param pinnedCertificateSha256 the SHA-256 fingerprint (hex, lower case, no separators) of a
 *     self-signed certificate the owner approved after seeing it; when set, that exact certificate
 *     is accepted (the host name is still checked) and any other is refused. Null: the certificate
 *     must chain to a trusted authority.
 */
public record ImapEndpoint(
    String host, int port, Security security, String username, String pinnedCertificateSha256) {

  public ImapEndpoint {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("IMAP host is required");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("IMAP port must be 1..65535, got " + port);
    }
    if (security == null) {
      throw new IllegalArgumentException("IMAP security is required");
    }
    if (username == null || username.isBlank()) {
      throw new IllegalArgumentException("IMAP username is required");
    }
    if (pinnedCertificateSha256 != null && !pinnedCertificateSha256.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException(
          "a pinned certificate is 64 lower-case hex digits (SHA-256)");
    }
  }

  public ImapEndpoint(String host, int port, Security security, String username) {
    this(host, port, security, username, null);
  }

  /** The same endpoint with the owner's approved certificate pinned. */
  public ImapEndpoint withPinnedCertificate(String sha256) {
    return new ImapEndpoint(host, port, security, username, sha256);
  }
}
