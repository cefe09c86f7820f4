package dev.mailroom.gateway.preset;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The providers whose settings Mailroom knows, chosen by the address's domain or by name. Host
 * names and ports are the providers' documented ones.
 */
public final class Presets {

  private static Preset.Server tls(String host) {
    return new Preset.Server(host, 993, "tls");
  }

  private static Preset.Server smtp(String host, int port) {
    return new Preset.Server(host, port, port == 465 ? "tls" : "starttls");
  }

  public static final List<Preset> ALL =
      List.of(
          new Preset(
              "gmail",
              "Gmail",
              List.of("gmail.com", "googlemail.com"),
              tls("imap.gmail.com"),
              smtp("smtp.gmail.com", 465),
              "With 2-Step Verification on, create an app password at https://myaccount.google.com/apppasswords"
                  + " and use it instead of your Google password.",
              // Gmail files every message sent through its SMTP server in [Gmail]/Sent Mail.
              true),
          new Preset(
              "outlook",
              "Outlook / Office 365",
              List.of("outlook.com", "hotmail.com", "live.com", "msn.com"),
              tls("outlook.office365.com"),
              smtp("smtp.office365.com", 587),
              "With two-step verification on, create an app password under Security > Advanced security"
                  + " options at https://account.microsoft.com/security and use it instead of your password.",
              // Exchange Online saves messages submitted over SMTP in Sent Items by itself.
              true),
          new Preset(
              "yahoo",
              "Yahoo Mail",
              List.of("yahoo.com", "ymail.com", "rocketmail.com"),
              tls("imap.mail.yahoo.com"),
              smtp("smtp.mail.yahoo.com", 465),
              "Yahoo requires an app password for IMAP: generate one under Account security >"
                  + " Generate app password at https://login.yahoo.com/account/security."),
          new Preset(
              "aol",
              "AOL Mail",
              List.of("aol.com"),
              tls("imap.aol.com"),
              smtp("smtp.aol.com", 465),
              "AOL requires an app password for IMAP: generate one under Account security >"
                  + " Generate app password at https://login.aol.com/account/security."),
          new Preset(
              "icloud",
              "iCloud Mail",
              List.of("icloud.com", "me.com", "mac.com"),
              tls("imap.mail.me.com"),
              smtp("smtp.mail.me.com", 587),
              "iCloud requires an app-specific password: create one under Sign-In and Security >"
                  + " App-Specific Passwords at https://account.apple.com."),
          new Preset(
              "fastmail",
              "Fastmail",
              List.of("fastmail.com", "fastmail.fm"),
              tls("imap.fastmail.com"),
              smtp("smtp.fastmail.com", 465),
              "Fastmail requires an app password for IMAP: create one under Settings > Privacy & Security"
                  + " > Manage app passwords at https://app.fastmail.com/settings/security/devicekeys."),
          new Preset(
              "zoho",
              "Zoho Mail",
              List.of("zoho.com", "zohomail.com"),
              tls("imap.zoho.com"),
              smtp("smtp.zoho.com", 465),
              "With two-factor authentication on, create an application-specific password at"
                  + " https://accounts.zoho.com/home#security/app_password."));

  private Presets() {}

  public static Optional<Preset> byName(String name) {
    return ALL.stream().filter(p -> p.name().equalsIgnoreCase(name)).findFirst();
  }

  /** The preset for an address's domain, e.g. {@code someone@gmail.com}. */
  public static Optional<Preset> byAddress(String address) {
    return domainOf(address)
        .flatMap(d -> ALL.stream().filter(p -> p.domains().contains(d)).findFirst());
  }

  /** The preset whose IMAP host this is, for the app-password hint after a refused login. */
  public static Optional<Preset> byImapHost(String host) {
    return ALL.stream().filter(p -> p.imap().host().equalsIgnoreCase(host)).findFirst();
  }

  static Optional<String> domainOf(String address) {
    if (address == null) {
      return Optional.empty();
    }
    int at = address.lastIndexOf('@');
    return Optional.of(
            (at < 0 ? address : address.substring(at + 1)).trim().toLowerCase(Locale.ROOT))
        .filter(d -> !d.isEmpty());
  }
}
