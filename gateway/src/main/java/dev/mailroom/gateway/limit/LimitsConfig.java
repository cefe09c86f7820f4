package dev.mailroom.gateway.limit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Per-user limits of the gateway (see {@link UserLimits}). */
@ConfigMapping(prefix = "mailroom.limits")
public interface LimitsConfig {

  /**
   * Credential checks (a new account, a new password, an approved certificate) a user may ask for
   * per {@link #window()}. Each makes the connector log in to a mail server: unlimited, they would
   * let one user make Mailroom guess passwords against any server, and get its address blocked.
   */
  @WithDefault("10")
  int credentialChecks();

  /** Searches a user may run per {@link #window()}: each may reach the user's IMAP server. */
  @WithDefault("60")
  int searches();

  /** The window of the two limits above. */
  @WithDefault("1m")
  Duration window();

  /**
   * Accounts one user may hold. Each costs the connector one or more IMAP sessions held open, and
   * servers limit connections per address (Gmail: 15).
   */
  @WithDefault("25")
  int accountsPerUser();
}
