package dev.mailroom.gateway.account;

import dev.mailroom.events.Topics;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Where and how the gateway records account definitions. */
@ConfigMapping(prefix = "mailroom.accounts")
public interface AccountsConfig {

  /**
   * The topic account definitions go to. Only tests change it: they share a broker with a running
   * platform, whose connectors must not try to log in to test accounts.
   */
  @WithDefault(Topics.ACCOUNTS)
  String topic();

  /**
   * How long a POST waits for the broker to acknowledge the definition (acks=all) before it answers
   * 503. Keep it above {@code max.block.ms} + {@code delivery.timeout.ms} of the channel: SmallRye
   * retries a failed send until delivery.timeout.ms has passed, and only its final answer tells for
   * sure that nothing was written; a timeout here leaves the outcome unknown.
   */
  @WithDefault("20s")
  Duration publishTimeout();

  /**
   * How long reading an account's current definition back from the accounts topic may take before
   * an update answers 503. The read covers one partition of a compacted topic, from its start.
   */
  @WithDefault("15s")
  Duration readTimeout();
}
