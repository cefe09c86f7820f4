package dev.mailroom.connector.verify;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.mailroom.events.connection.FailureCategory;
import java.util.List;

/**
 * The outcome of a verification: either logged in (with the server's capabilities), or the category
 * of the failure, the server's or TLS stack's own words, what to do about it, and for a refused
 * certificate its SHA-256 fingerprint. Never the password.
 *
 * @param server on failure, which server failed: {@code imap} or {@code smtp}
 * @param smtpMaxSize the SMTP server's SIZE limit in bytes, when it announces one
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VerifyResult(
    boolean verified,
    List<String> capabilities,
    FailureCategory category,
    String detail,
    String remedy,
    String certificateSha256,
    String server,
    Long smtpMaxSize) {

  static VerifyResult ok(List<String> capabilities, Long smtpMaxSize) {
    return new VerifyResult(true, capabilities, null, null, null, null, null, smtpMaxSize);
  }
}
