package dev.mailroom.gateway.command;

import dev.mailroom.events.Topics;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Where owners' commands go and how long the gateway waits around them. */
@ConfigMapping(prefix = "mailroom.commands")
public interface CommandsConfig {

  /** The commands topic. Only tests change it (they share a broker with a running platform). */
  @WithDefault(Topics.COMMANDS)
  String topic();

  /** How long an action waits for the broker to acknowledge its command before it answers 503. */
  @WithDefault("20s")
  Duration publishTimeout();

  /**
   * How long an action waits, after the broker has its command, for the store to show it pending,
   * so that a client that reads right after the 202 sees what it asked for. The 202 comes after
   * this at the latest either way: the command is recorded, only its display is late.
   */
  @WithDefault("2s")
  Duration visibleWait();
}
