package dev.mailroom.health.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How health-service decides an account's status. */
@ConfigMapping(prefix = "mailroom.health")
public interface HealthConfig {

  /**
   * How long connections must fail without a single success before the account is declared
   * disconnected and the connector stops retrying it.
   */
  @WithDefault("PT30M")
  Duration disconnectAfter();

  /**
   * How often degraded accounts are checked against {@link #disconnectAfter()}: a connector that
   * stops reporting failures (it died, its pod moved) must not keep an account degraded forever.
   */
  @WithDefault("PT30S")
  Duration sweepInterval();

  /** How often the outbox of status events is put on Kafka. */
  @WithDefault("PT0.5S")
  Duration relayInterval();
}
