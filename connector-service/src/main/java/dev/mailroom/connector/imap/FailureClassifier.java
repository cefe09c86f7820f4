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
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLException;

/** Turns what went wrong while connecting into a category a person can act on. */
public final class FailureClassifier {

  private FailureClassifier() {}

  public record Classified(FailureCategory category, String detail) {}

  public static Classified classify(Throwable failure) {
    return new Classified(category(failure), detail(failure));
  }

  private static FailureCategory category(Throwable failure) {
    if (failure instanceof HostPolicy.HostNotAllowedException) {
      return FailureCategory.HOST_NOT_ALLOWED;
    }
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      switch (t) {
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
      if (message.contains("STARTTLS is required but host does not support STARTTLS")) {
        return FailureCategory.STARTTLS_NOT_OFFERED;
      }
      if (message.contains("No subject alternative") || message.contains("No name matching")
          || message.contains("Server is not trusted") && message.contains("identity")) {
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

  /** The deepest message, which is the one that names the cause; never holds a credential. */
  private static String detail(Throwable failure) {
    Throwable deepest = failure;
    for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
      deepest = t;
    }
    String message = deepest.getMessage() == null ? deepest.getClass().getSimpleName() : deepest.getMessage();
    return message.length() > 500 ? message.substring(0, 500) : message;
  }

  /** Whether a certificate signed itself: the remedy differs from an unknown authority. */
  static boolean isSelfSigned(X509Certificate certificate) {
    return certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal());
  }
}
