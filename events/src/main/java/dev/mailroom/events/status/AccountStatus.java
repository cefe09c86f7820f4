package dev.mailroom.events.status;

/** What health-service has decided about an account's connections. */
public enum AccountStatus {
  /** The last connection attempt succeeded. */
  CONNECTED,
  /** Connections are failing, but for less than the disconnect window. */
  DEGRADED,
  /**
   * Connections have failed for the whole disconnect window (30 minutes by default): the connector
   * stops retrying until the owner asks to reconnect.
   */
  DISCONNECTED,
  /** The owner asked to reconnect a disconnected account: the connector tries again. */
  RECONNECTING
}
