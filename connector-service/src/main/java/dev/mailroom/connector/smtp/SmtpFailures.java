package dev.mailroom.connector.smtp;

import dev.mailroom.connector.imap.FailureClassifier;
import dev.mailroom.events.connection.FailureCategory;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;

/**
 * SMTP's failures in the categories IMAP's use, plus the one only SMTP has: the server took the
 * login but refuses the sender or will not relay (RFC 3463 status 5.7.1).
 */
public final class SmtpFailures {

  private SmtpFailures() {}

  public static FailureClassifier.Classified classify(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SmtpConnector.NoAuthOfferedException) {
        return new FailureClassifier.Classified(FailureCategory.PROTOCOL_ERROR, t.getMessage());
      }
      if ((t instanceof SMTPAddressFailedException || t instanceof SMTPSenderFailedException)
          && isRelayRefusal(String.valueOf(t.getMessage()))) {
        return new FailureClassifier.Classified(
            FailureCategory.RELAY_REFUSED, t.getMessage().trim());
      }
    }
    return FailureClassifier.classify(failure);
  }

  /** 5.7.1 is "delivery not authorized" (RFC 3463 §3.8); older servers say it only in words. */
  static boolean isRelayRefusal(String reply) {
    String r = reply.toLowerCase(java.util.Locale.ROOT);
    return r.contains("5.7.1")
        || r.contains("relay")
        || r.contains("sender address rejected")
        || r.contains("not owned by user");
  }
}
