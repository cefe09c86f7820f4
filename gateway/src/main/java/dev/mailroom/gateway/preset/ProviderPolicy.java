package dev.mailroom.gateway.preset;

import dev.mailroom.gateway.problem.GatewayException;
import java.util.Locale;
import java.util.Set;

/** What Mailroom refuses before it even tries to connect, each with the reason and what to do. */
public final class ProviderPolicy {

  static final Set<String> PROTONMAIL =
      Set.of("protonmail.com", "proton.me", "pm.me", "protonmail.ch");

  private ProviderPolicy() {}

  /** Refuses a ProtonMail address, whose mail a cloud service cannot reach. */
  public static void checkAddress(String address) {
    Presets.domainOf(address)
        .filter(PROTONMAIL::contains)
        .ifPresent(
            d -> {
              throw new GatewayException.Unprocessable(
                  "protonmail-not-supported",
                  "ProtonMail is not supported",
                  "ProtonMail ("
                      + d
                      + ") offers IMAP only through ProtonMail Bridge, a program that runs on"
                      + " your own computer; a cloud service like Mailroom cannot run it for you.",
                  null);
            });
  }

  /** The SMTP server's clear-text choice needs the same acknowledgement as IMAP's. */
  public static void checkSmtp(String security, boolean noEncryptionAcknowledged) {
    if ("none".equalsIgnoreCase(security.trim()) && !noEncryptionAcknowledged) {
      throw new GatewayException.Unprocessable(
          "no-encryption-not-acknowledged",
          "No encryption needs acknowledgement",
          "Without encryption the SMTP password and every message sent cross the network in clear."
              + " Choose tls or starttls for smtpSecurity, or send acknowledgeNoEncryption: true if you"
              + " accept the risk.",
          null);
    }
  }

  /**
   * @param email the account's address, may be null
   * @param username the IMAP user name, often the address
   */
  public static void check(
      String email,
      String username,
      String host,
      int port,
      String security,
      boolean noEncryptionAcknowledged) {
    String h = host.trim().toLowerCase(Locale.ROOT);
    if (port == 110 || port == 995 || h.startsWith("pop.") || h.startsWith("pop3.")) {
      throw new GatewayException.Unprocessable(
          "pop-not-supported",
          "POP is not supported",
          "Mailroom connects over IMAP only. POP has no folders and no shared state (read, flagged,"
              + " moved are not synced), and POP clients usually remove the mail from the server."
              + " Use your provider's IMAP server (usually port 993 with SSL/TLS).",
          null);
    }
    checkAddress(email);
    checkAddress(username);
    if ("none".equalsIgnoreCase(security.trim()) && !noEncryptionAcknowledged) {
      throw new GatewayException.Unprocessable(
          "no-encryption-not-acknowledged",
          "No encryption needs acknowledgement",
          "Without encryption the password and every message cross the network in clear. Choose"
              + " tls or starttls, or send acknowledgeNoEncryption: true if you accept the risk.",
          null);
    }
  }
}
