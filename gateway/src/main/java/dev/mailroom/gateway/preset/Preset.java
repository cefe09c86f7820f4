package dev.mailroom.gateway.preset;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A known provider's settings.
 *
 * @param appPassword for providers that require an app-specific password when two-factor
 *     authentication is on: what to do and where; null otherwise
 * @param savesSentCopy the provider files sent mail in Sent by itself (Gmail, Outlook): Mailroom
 *     then appends no copy of its own, which would be a second one
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Preset(
    String name,
    String label,
    List<String> domains,
    Server imap,
    Server smtp,
    String appPassword,
    boolean savesSentCopy) {

  public Preset(
      String name,
      String label,
      List<String> domains,
      Server imap,
      Server smtp,
      String appPassword) {
    this(name, label, domains, imap, smtp, appPassword, false);
  }

  /**
   * @param security {@code tls} or {@code starttls}
   */
  public record Server(String host, int port, String security) {}
}
