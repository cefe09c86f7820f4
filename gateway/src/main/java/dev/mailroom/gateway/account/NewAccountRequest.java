package dev.mailroom.gateway.account;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of {@code POST /api/accounts}. The constraint messages are what the client reads in the
 * problem's {@code errors}; none of them repeats the value sent.
 *
 * @param security {@code tls} (implicit TLS, usually port 993), {@code starttls} (usually 143) or
 *     {@code none}; kept as text so that an unknown value is a field error naming the allowed ones
 *     rather than a JSON binding error
 * @param acknowledgeNoEncryption must be true for {@code security: none}: the owner accepts that
 *     the password and mail cross the network in clear
 * @param allowCertificateSha256 the SHA-256 fingerprint of a self-signed certificate the owner
 *     approves for this account after a {@code CERTIFICATE_SELF_SIGNED} answer; that certificate is
 *     pinned, any other is refused
 * @param smtpHost the SMTP submission server; absent: the preset's for the IMAP host or the
 *     address's domain, or none (the account then does not send)
 * @param smtpSecurity as {@code security}; {@code none} needs the same acknowledgement
 * @param smtpUsername absent: the IMAP username
 * @param smtpPassword absent: the IMAP password
 * @param allowSmtpCertificateSha256 as {@code allowCertificateSha256}, for the SMTP server
 */
public record NewAccountRequest(
    @Size(max = 200) String displayName,
    @Email @Size(max = 320) String email,
    @NotBlank @Size(max = 253) String host,
    @NotNull(message = "is required") @Min(1) @Max(65535) Integer port,
    @NotBlank
        @Pattern(
            regexp = "(?i)tls|starttls|none",
            message = "must be one of " + NewAccountRequest.SECURITY_VALUES)
        @Schema(enumeration = {"tls", "starttls", "none"})
        String security,
    @NotBlank @Size(max = 320) String username,
    @NotBlank @Size(max = 1024) @Schema(writeOnly = true, format = "password") String password,
    Boolean acknowledgeNoEncryption,
    @Pattern(regexp = "[0-9a-fA-F:]{64,95}", message = "must be a SHA-256 fingerprint in hex")
        String allowCertificateSha256,
    @Size(max = 253) String smtpHost,
    @Min(1) @Max(65535) Integer smtpPort,
    @Pattern(
            regexp = "(?i)tls|starttls|none",
            message = "must be one of " + NewAccountRequest.SECURITY_VALUES)
        @Schema(enumeration = {"tls", "starttls", "none"})
        String smtpSecurity,
    @Size(max = 320) String smtpUsername,
    @Size(max = 1024) @Schema(writeOnly = true, format = "password") String smtpPassword,
    @Pattern(regexp = "[0-9a-fA-F:]{64,95}", message = "must be a SHA-256 fingerprint in hex")
        String allowSmtpCertificateSha256) {

  public NewAccountRequest(
      String displayName,
      String email,
      String host,
      Integer port,
      String security,
      String username,
      String password) {
    this(displayName, email, host, port, security, username, password, null, null);
  }

  public NewAccountRequest(
      String displayName,
      String email,
      String host,
      Integer port,
      String security,
      String username,
      String password,
      Boolean acknowledgeNoEncryption,
      String allowCertificateSha256) {
    this(
        displayName,
        email,
        host,
        port,
        security,
        username,
        password,
        acknowledgeNoEncryption,
        allowCertificateSha256,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  /** The approved fingerprint as the contracts spell it: lower case, no colons; or null. */
  String pinnedCertificate() {
    return fingerprint(allowCertificateSha256);
  }

  String pinnedSmtpCertificate() {
    return fingerprint(allowSmtpCertificateSha256);
  }

  private static String fingerprint(String hex) {
    return hex == null || hex.isBlank()
        ? null
        : hex.replace(":", "").toLowerCase(java.util.Locale.ROOT);
  }

  static final String SECURITY_VALUES = "tls, starttls, none";

  /** A request must never print its password, whoever logs it. */
  @Override
  public String toString() {
    return "NewAccountRequest[host="
        + host
        + ", port="
        + port
        + ", security="
        + security
        + ", username="
        + username
        + ", password=(hidden), smtpHost="
        + smtpHost
        + ", smtpPort="
        + smtpPort
        + ", smtpSecurity="
        + smtpSecurity
        + ", smtpPassword="
        + (smtpPassword == null ? "(none)" : "(hidden)")
        + "]";
  }
}
