package dev.mailroom.connector.session;

import dev.mailroom.connector.config.ConnectorConfig;
import java.time.Duration;

/** The parts of the configuration a session needs. */
record SessionSettings(
    Duration pollInterval,
    Duration notifySweepInterval,
    Duration idleKeepAlive,
    Duration fullScanInterval,
    Duration checkpointRefresh,
    Duration startTurn,
    int fetchBatch,
    int fetchBatchBytes,
    int bodyBytes,
    Duration backoffInitial,
    Duration backoffMax,
    Duration flagProbeInterval) {

  static SessionSettings of(ConnectorConfig.Imap imap) {
    return new SessionSettings(
        imap.pollInterval(),
        imap.notifySweepInterval(),
        imap.idleKeepAlive(),
        imap.fullScanInterval(),
        imap.checkpointRefresh(),
        imap.startTurn(),
        imap.fetchBatch(),
        imap.fetchBatchBytes(),
        imap.bodyBytes(),
        imap.backoffInitial(),
        imap.backoffMax(),
        imap.flagProbeInterval());
  }
}
