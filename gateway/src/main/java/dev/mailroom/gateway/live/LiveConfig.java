package dev.mailroom.gateway.live;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The live event stream ({@code GET /api/events}). */
@ConfigMapping(prefix = "mailroom.live")
public interface LiveConfig {

  /**
   * How often an idle stream sends a comment line: below the idle timeouts of common proxies and
   * load balancers (60 s on many), so an open stream is not cut while nothing happens.
   */
  @WithDefault("15s")
  Duration heartbeat();

  /** How often a stream looks for accounts its owner added since it opened. */
  @WithDefault("30s")
  Duration accountRefresh();

  /**
   * How long one request to sync-service's change log waits for a change (at most 30 s there);
   * below the sync REST client's read-timeout.
   */
  @WithDefault("8s")
  Duration longPoll();

  /** The account-status topic the streams follow (tests use their own). */
  @WithDefault(dev.mailroom.events.Topics.ACCOUNT_STATUS)
  String statusTopic();
}
