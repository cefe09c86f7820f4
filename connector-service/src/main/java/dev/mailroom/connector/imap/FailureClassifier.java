package dev.mailroom.connector.imap;

import dev.mailroom.events.connection.FailureCategory;
import jakarta.mail.AuthenticationFailedException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import javax.net.ssl.SSLException;

/** Turns what went wrong while connecting into a category a person can act on. */
public final class FailureClassifier {

  private FailureClassifier() {}

  /**
   * @param certificateSha256 for a refused certificate: SHA-256 of the one the server sent, so the
   *     owner can compare it (and approve it when it is their own self-signed one); else null
   */
  public record Classified(FailureCategory category, String detail, String certificateSha256) {

    public Classified(FailureCategory category, String detail) {
      this(category, detail, null);
    }
  }

  public static Classified classify(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof CertificateRefusedException refused) {
        return new Classified(refused.category(), refused.getMessage(), refused.sha256());
      }
    }
    return new Classified(category(failure), detail(failure));
  }

  private static FailureCategory category(Throwable failure) {
    if (failure instanceof HostPolicy.HostNotAllowedException) {
      return FailureCategory.HOST_NOT_ALLOWED;
    }
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      switch (t) {
        case AuthenticationFailedException a when turnedAway(a) -> {
          return FailureCategory.SERVER_UNAVAILABLE;
        }
        case AuthenticationFailedException a -> {
          return FailureCategory.AUTHENTICATION_FAILED;
        }
        case CertificateExpiredException e -> {
          return FailureCategory.CERTIFICATE_EXPIRED;
        }
        case CertificateNotYetValidException e -> {
          return FailureCategory.CERTIFICATE_EXPIRED;
        }
        case UnknownHostException e -> {
          return FailureCategory.HOST_UNREACHABLE;
        }
        case ConnectException e -> {
          return FailureCategory.HOST_UNREACHABLE;
        }
        case NoRouteToHostException e -> {
          return FailureCategory.HOST_UNREACHABLE;
        }
        case SocketTimeoutException e -> {
          return FailureCategory.TIMEOUT;
        }
        default -> {}
      }
      String message = String.valueOf(t.getMessage());
      // Angus 2.0: "STARTTLS required but not supported by server" (mail.imap.starttls.required).
      if (message.contains("STARTTLS required but not supported")
          || message.contains("STARTTLS is required but host does not support STARTTLS")) {
        return FailureCategory.STARTTLS_NOT_OFFERED;
      }
      // Angus's own host name check (ssl.checkserveridentity) and the JDK's both say so in words.
      if (message.contains("No subject alternative")
          || message.contains("No name matching")
          || message.contains("Can't verify identity of server")
          || message.contains("Server identity does not match")) {
        return FailureCategory.CERTIFICATE_HOST_MISMATCH;
      }
      if (t instanceof CertPathValidatorException || message.contains("PKIX path")) {
        return FailureCategory.CERTIFICATE_UNKNOWN_AUTHORITY;
      }
      if (t instanceof SSLException && message.contains("certificate")) {
        return FailureCategory.CERTIFICATE_UNKNOWN_AUTHORITY;
      }
    }
    return FailureCategory.PROTOCOL_ERROR;
  }

  /**
   * A refused LOGIN that says, by its response code (RFC 5530 §3), that the credentials were not
   * the reason: Dovecot answers {@code NO [LIMIT] Maximum number of connections from user+IP
   * exceeded}, others {@code [UNAVAILABLE]} while their authentication backend is down.
   */
  private static boolean turnedAway(AuthenticationFailedException refused) {
    String message = String.valueOf(refused.getMessage());
    return message.contains("[LIMIT]") || message.contains("[UNAVAILABLE]");
  }

  /** The deepest message, which is the one that names the cause; never holds a credential. */
  private static String detail(Throwable failure) {
    Throwable deepest = failure;
    for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
      deepest = t;
    }
    String message =
        deepest.getMessage() == null ? deepest.getClass().getSimpleName() : deepest.getMessage();
    return message.length() > 500 ? message.substring(0, 500) : message;
  }
}
