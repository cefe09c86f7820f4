package dev.mailroom.events.connection;

/** Why a connection attempt failed, in words a person can act on. */
public enum FailureCategory {
  AUTHENTICATION_FAILED,
  CERTIFICATE_SELF_SIGNED,
  CERTIFICATE_EXPIRED,
  CERTIFICATE_HOST_MISMATCH,
  CERTIFICATE_UNKNOWN_AUTHORITY,
  STARTTLS_NOT_OFFERED,
  HOST_UNREACHABLE,
  TIMEOUT,
  PROTOCOL_ERROR,
  /** The host resolves to a loopback, private or metadata address the operator has not allowed. */
  HOST_NOT_ALLOWED,
  CREDENTIALS_UNAVAILABLE,
  /**
   * The server turned the connection away for now, not the credentials: too many connections for
   * the user ({@code [LIMIT]}) or a service that is down ({@code [UNAVAILABLE]}), RFC 5530 §3.
   */
  SERVER_UNAVAILABLE,
  /**
   * The SMTP server accepted the login but refuses to take mail from this address or to pass it on
   * (5.7.1 "Relay access denied", "Sender address rejected").
   */
  RELAY_REFUSED,
  /**
   * The connector itself failed while it worked on the account (out of memory, a bug in it or in a
   * library it uses), not the server or the account's settings; it reconnects on its own.
   */
  INTERNAL_ERROR
}
