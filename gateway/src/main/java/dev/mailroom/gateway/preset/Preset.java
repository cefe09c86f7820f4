package dev.mailroom.gateway.preset;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A known provider's settings.
 *
 * @param appPassword for providers that require an app-specific password when two-factor
 *     authentication is on: what to do and where; null otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Preset(String name, String label, List<String> domains, Server imap, Server smtp, String appPassword) {

  /** @param security {@code tls} or {@code starttls} */
  public record Server(String host, int port, String security) {}
}
