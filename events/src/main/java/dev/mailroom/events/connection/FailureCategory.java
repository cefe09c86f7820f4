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
  CREDENTIALS_UNAVAILABLE
}
