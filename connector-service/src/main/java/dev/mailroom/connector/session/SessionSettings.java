package dev.mailroom.connector.session;

import dev.mailroom.connector.config.ConnectorConfig;
import java.time.Duration;

/** The parts of the configuration a session needs. */
record SessionSettings(Duration pollInterval, int fetchBatch, Duration backoffInitial, Duration backoffMax) {

  static SessionSettings of(ConnectorConfig.Imap imap) {
    return new SessionSettings(imap.pollInterval(), imap.fetchBatch(), imap.backoffInitial(), imap.backoffMax());
  }
}
