package dev.mailroom.events.account;

/** Where and as whom the connector logs in. The password travels apart, sealed. */
public record ImapEndpoint(String host, int port, Security security, String username) {

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
  }
}
