package dev.mailroom.events.connection;

/**
 * What the owner can do about each {@link FailureCategory}. Kept beside the category so that the
 * connector's verification answer and the gateway's account status say the same thing.
 */
public final class Remedies {

  private Remedies() {}

  /** The remedy for a failure of the SMTP server, where ports and words differ from IMAP's. */
  public static String forSmtp(FailureCategory category) {
    return switch (category) {
      case STARTTLS_NOT_OFFERED ->
          "STARTTLS was chosen but the SMTP server did not offer it, so the password was not sent."
              + " Use SSL/TLS (usually port 465), or check that nothing between Mailroom and the"
              + " server strips STARTTLS.";
      case HOST_UNREACHABLE ->
          "The SMTP server could not be reached. Check the host name and port (465 for SSL/TLS,"
              + " 587 for STARTTLS) and that the server accepts connections from the internet.";
      case PROTOCOL_ERROR ->
          "The server did not answer like an SMTP submission server. Check that the port is an"
              + " SMTP submission port (465 or 587, not IMAP's) and that the encryption setting"
              + " matches it.";
      case CERTIFICATE_HOST_MISMATCH ->
          "The SMTP server's certificate is for a different host name. Use the host name the"
              + " certificate names (your provider's documented SMTP host), not an alias or an IP"
              + " address.";
      default -> of(category);
    };
  }

  public static String of(FailureCategory category) {
    return switch (category) {
      case AUTHENTICATION_FAILED ->
          "The server refused the user name or password. Check both; if two-factor authentication is"
              + " on, most providers need an app-specific password instead of the account password.";
      case CERTIFICATE_SELF_SIGNED ->
          "The server's certificate is self-signed. If this is your own server, compare the SHA-256"
              + " fingerprint with the one on the server and allow this certificate for this account;"
              + " otherwise do not connect.";
      case CERTIFICATE_EXPIRED ->
          "The server's certificate has expired (or is not valid yet). Ask the server's administrator"
              + " to renew it; Mailroom does not connect with an expired certificate.";
      case CERTIFICATE_HOST_MISMATCH ->
          "The server's certificate is for a different host name. Use the host name the certificate"
              + " names (your provider's documented IMAP host), not an alias or an IP address.";
      case CERTIFICATE_UNKNOWN_AUTHORITY ->
          "The server's certificate is signed by an authority Mailroom does not trust. Ask the"
              + " server's administrator for a certificate from a public authority.";
      case STARTTLS_NOT_OFFERED ->
          "STARTTLS was chosen but the server did not offer it, so the password was not sent. Use"
              + " SSL/TLS (usually port 993), or check that nothing between Mailroom and the server"
              + " strips STARTTLS.";
      case HOST_UNREACHABLE ->
          "The server could not be reached. Check the host name and port (IMAP: 993 for SSL/TLS,"
              + " 143 for STARTTLS) and that the server accepts connections from the internet.";
      case TIMEOUT ->
          "The server did not answer in time. Check the host name and port; if they are right, the"
              + " server may be overloaded or a firewall drops the connection: try again later.";
      case PROTOCOL_ERROR ->
          "The server did not answer like an IMAP server. Check that the port is an IMAP port (not"
              + " POP, SMTP or HTTPS) and that the encryption setting matches it.";
      case HOST_NOT_ALLOWED ->
          "The host name resolves to an internal address. Use the server's public host name.";
      case RELAY_REFUSED ->
          "The SMTP server accepted the login but refuses to send mail from this address. Use the"
              + " SMTP server of the provider that hosts this address, and the login that owns it.";
      case SERVER_UNAVAILABLE ->
          "The server turned the connection away for now: it allows only so many connections per"
              + " user (close mail apps that keep this account open, or ask the provider about its"
              + " limit), or a part of it is down. Mailroom retries on its own.";
      case CREDENTIALS_UNAVAILABLE ->
          "The stored password can no longer be read. Enter the password again.";
      case INTERNAL_ERROR ->
          "Mailroom failed while working on this account; the mail server and the account's"
              + " settings are not at fault. It reconnects on its own; if this stays, tell the"
              + " operator, whose connector log names the cause.";
    };
  }
}
