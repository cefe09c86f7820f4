package dev.mailroom.gateway.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An RFC 9457 problem detail, the body of every error the gateway answers with.
 *
 * @param type a URI naming the kind of problem (RFC 9457 §3.1.1); ours are {@code
 *     urn:mailroom:problem:<slug>} because no page documents them yet, and a URN does not pretend
 *     to be one
 * @param title a short summary of the kind, the same for every occurrence
 * @param status the HTTP status code, repeated so a body read out of context still tells it
 * @param detail what went wrong this time, written for a person who can act on it
 * @param instance the request path that failed
 * @param errors for a request that did not validate: one entry per offending field (an extension
 *     member, RFC 9457 §3.2)
 * @param connection for settings the connector could not log in with: why, and what to do (an
 *     extension member)
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    String instance,
    List<FieldError> errors,
    ConnectionFailure connection) {

  public Problem(
      String type,
      String title,
      int status,
      String detail,
      String instance,
      List<FieldError> errors) {
    this(type, title, status, detail, instance, errors, null);
  }

  /**
   * Why a login with the given settings failed.
   *
   * @param category e.g. {@code AUTHENTICATION_FAILED}, {@code CERTIFICATE_SELF_SIGNED}
   * @param certificateSha256 for a refused certificate, its SHA-256 fingerprint: a self-signed one
   *     the owner recognises can be sent back as {@code allowCertificateSha256} to pin it
   * @param server which server failed, {@code imap} or {@code smtp} (a self-signed SMTP certificate
   *     is pinned with {@code allowSmtpCertificateSha256}); null when not known
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ConnectionFailure(
      String category, String detail, String remedy, String certificateSha256, String server) {

    public ConnectionFailure(
        String category, String detail, String remedy, String certificateSha256) {
      this(category, detail, remedy, certificateSha256, null);
    }
  }

  public static final String MEDIA_TYPE = "application/problem+json";

  public static final String TYPE_PREFIX = "urn:mailroom:problem:";

  public Problem {
    errors = errors == null ? List.of() : List.copyOf(errors);
  }

  /**
   * One field that did not validate. The message says what is expected and never repeats the value
   * that was sent: the field could be a password.
   */
  public record FieldError(String field, String message) {}
}
