package dev.mailroom.events.account;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/** How the connection to the IMAP server is protected. */
public enum Security {
  /** Implicit TLS from the first byte (RFC 8314), usually port 993. */
  TLS,
  /** Plain connection upgraded with STARTTLS (RFC 9051 §6.2.1), required, never skipped. */
  STARTTLS,
  /** No encryption at all: only with an explicit acknowledgement from the owner. */
  NONE;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static Security fromWire(String text) {
    return Arrays.stream(values())
        .filter(s -> s.wireName().equalsIgnoreCase(text))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "security must be one of tls, starttls, none; got " + text));
  }
}
