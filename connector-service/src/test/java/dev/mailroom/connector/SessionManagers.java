package dev.mailroom.connector;

import dev.mailroom.connector.config.ConnectorConfig;
import dev.mailroom.connector.imap.ImapConnector;
import dev.mailroom.connector.publish.EventPublisher;
import dev.mailroom.connector.session.SessionManager;
import dev.mailroom.events.crypto.SecretBox;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Makes session managers beside the application's own, each what another connector instance (or
 * one with other settings) would hold, sharing this one's beans.
 */
@ApplicationScoped
public class SessionManagers {

  @Inject ImapConnector imap;
  @Inject EventPublisher publisher;
  @Inject Clock clock;
  @Inject ConnectorConfig config;
  @Inject MeterRegistry metrics;
  @Inject SecretBox secrets;
  @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap;

  public SessionManager another() {
    return with(config);
  }

  public SessionManager with(ConnectorConfig settings) {
    return new SessionManager(imap, publisher, clock, settings, secrets, metrics, bootstrap);
  }

  /** This application's configuration. */
  public ConnectorConfig config() {
    return config;
  }
}
