package dev.mailroom.connector;

import dev.mailroom.connector.config.ConnectorConfig;
import dev.mailroom.connector.imap.ImapConnector;
import dev.mailroom.connector.publish.EventPublisher;
import dev.mailroom.connector.session.SessionManager;
import dev.mailroom.events.crypto.SecretBox;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Makes session managers beside the application's own, each what another connector instance (or one
 * with other settings) would hold, sharing this one's beans.
 */
@ApplicationScoped
public class SessionManagers {

  @Inject ImapConnector imap;
  @Inject EventPublisher publisher;
  @Inject Clock clock;
  @Inject ConnectorConfig config;
  @Inject MeterRegistry metrics;
  @Inject SecretBox secrets;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  public SessionManager another() {
    return withImap(Map.of());
  }

  /**
   * A manager whose {@code mailroom.imap.*} settings differ from this application's by the given
   * values, keyed by the method name of {@link ConnectorConfig.Imap} (e.g. {@code startTurn}).
   */
  public SessionManager withImap(Map<String, Object> overrides) {
    return with(imap, publisher, overrides);
  }

  /** A manager whose sessions publish through {@code publisher} (a test's wrapper of the bean). */
  public SessionManager withPublisher(EventPublisher publisher) {
    return with(imap, publisher, Map.of());
  }

  /** A manager whose sessions connect through {@code connector} (a test's wrapper of the bean). */
  public SessionManager withConnector(ImapConnector connector) {
    return with(connector, publisher, Map.of());
  }

  /**
   * A manager whose first {@code hold} throws {@code failure}, as a bug or an exhausted heap in the
   * ownership loop's thread would; later ones hold as usual.
   */
  public SessionManager failingFirstHold(Error failure) {
    java.util.concurrent.atomic.AtomicBoolean failed =
        new java.util.concurrent.atomic.AtomicBoolean();
    return new SessionManager(imap, publisher, clock, config, secrets, metrics, bootstrap) {
      @Override
      public void hold(dev.mailroom.events.account.AccountDefined account, int partition) {
        if (failed.compareAndSet(false, true)) {
          throw failure;
        }
        super.hold(account, partition);
      }
    };
  }

  public ImapConnector imap() {
    return imap;
  }

  public EventPublisher publisher() {
    return publisher;
  }

  private SessionManager with(
      ImapConnector imap, EventPublisher publisher, Map<String, Object> overrides) {
    ClassLoader loader = ConnectorConfig.class.getClassLoader();
    ConnectorConfig.Imap imapSettings =
        (ConnectorConfig.Imap)
            Proxy.newProxyInstance(
                loader,
                new Class<?>[] {ConnectorConfig.Imap.class},
                (proxy, method, args) ->
                    overrides.containsKey(method.getName())
                        ? overrides.get(method.getName())
                        : method.invoke(config.imap(), args));
    ConnectorConfig settings =
        (ConnectorConfig)
            Proxy.newProxyInstance(
                loader,
                new Class<?>[] {ConnectorConfig.class},
                (proxy, method, args) ->
                    method.getName().equals("imap") ? imapSettings : method.invoke(config, args));
    return new SessionManager(imap, publisher, clock, settings, secrets, metrics, bootstrap);
  }
}
