package dev.mailroom.connector.smtp;

import org.eclipse.angus.mail.smtp.SMTPTransport;

/** The SIZE extension's limit (RFC 1870 §4): "SIZE" alone or "SIZE 0" means no fixed limit. */
final class SmtpSize {

  private SmtpSize() {}

  static Long of(SMTPTransport transport) {
    String value = transport.getExtensionParameter("SIZE");
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      long size = Long.parseLong(value.trim());
      return size > 0 ? size : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
