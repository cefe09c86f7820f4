package dev.mailroom.connector.smtp;

import java.util.regex.Pattern;

/** What may go between the angle brackets of MAIL FROM and RCPT TO. */
public final class SmtpAddresses {

  // Printable ASCII without spaces, brackets or quotes, one @: no CR/LF can reach the command
  // line (RFC 5321 §4.1.2 "Path"); internationalised addresses would need SMTPUTF8.
  private static final Pattern PLAIN = Pattern.compile("[!#-;=?-~&&[^<>\"@]]+@[A-Za-z0-9.-]+");

  private SmtpAddresses() {}

  public static boolean isPlain(String address) {
    return address != null && address.length() <= 320 && PLAIN.matcher(address).matches();
  }
}
