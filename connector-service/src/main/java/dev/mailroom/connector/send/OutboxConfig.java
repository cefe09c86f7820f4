package dev.mailroom.connector.send;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Sending mail (ADR 0006), under {@code mailroom.outbox.*}. */
@ConfigMapping(prefix = "mailroom.outbox")
public interface OutboxConfig {

  /** Whether this instance sends (off in tests, which run consumers of their own). */
  @WithDefault("true")
  boolean enabled();

  /** Send requests and their outcomes, keyed by account id. */
  @WithDefault("mailroom.outbox.v1")
  String topic();

  /** Consumer group whose committed offsets say which requests are done. */
  @WithDefault("mailroom-connector-outbox")
  String groupId();

  /** sync-service, which keeps the messages themselves: {@code GET .../outbox/{id}/mime}. */
  @WithDefault("http://127.0.0.1:8082")
  String storeUrl();

  /**
   * First wait after a temporary failure (4xx, connection refused or lost); doubled up to the max.
   */
  @WithDefault("2s")
  Duration retryInitial();

  @WithDefault("5m")
  Duration retryMax();

  /**
   * How long an account's SMTP connection stays open after its last message, for the next one (a
   * burst pays TLS and AUTH once). Below the servers' own idle limits (Postfix: 300 s).
   */
  @WithDefault("30s")
  Duration smtpIdle();

  /** A message still not sent this long after its first attempt fails for good. */
  @WithDefault("24h")
  Duration giveUpAfter();
}
