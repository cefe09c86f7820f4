package dev.mailroom.events.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A mailbox name as a person reads it (already decoded from modified UTF-7, RFC 3501 §5.1.3), with
 * the server's hierarchy delimiter kept as the server sends it.
 */
public record MailboxPath(String value) {

  public static final MailboxPath INBOX = new MailboxPath("INBOX");

  public MailboxPath {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("mailbox path is required");
    }
    // RFC 9051 §5.1: INBOX is case-insensitive; keep one spelling so two events agree.
    if (value.equalsIgnoreCase("INBOX")) {
      value = "INBOX";
    }
  }

  @JsonCreator
  public static MailboxPath of(String value) {
    return new MailboxPath(value);
  }

  @JsonValue
  @Override
  public String toString() {
    return value;
  }
}
