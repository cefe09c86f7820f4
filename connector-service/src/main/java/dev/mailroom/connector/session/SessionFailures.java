package dev.mailroom.connector.session;

import dev.mailroom.connector.imap.FailureClassifier;
import dev.mailroom.connector.imap.HostPolicy;
import dev.mailroom.events.connection.FailureCategory;
import dev.mailroom.events.crypto.SecretBox;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.security.GeneralSecurityException;

/**
 * The category of whatever ended a session's connection. Everything that ends one is a connection
 * failure, {@link Error}s included: an {@link OutOfMemoryError} in a first sync once ended a
 * session's thread without a word, and the account showed "connected" until the process was
 * restarted by hand.
 *
 * <p>What the server or the account's settings caused goes to {@link FailureClassifier}. What is
 * the connector's own (an Error, or a RuntimeException with no I/O, IMAP or TLS failure behind it:
 * a bug here or in a library, Kafka not taking events) is {@link FailureCategory#INTERNAL_ERROR},
 * so that its owner is not sent to check a port that is right.
 */
final class SessionFailures {

  private SessionFailures() {}

  static FailureClassifier.Classified classify(Throwable failure) {
    for (Throwable t = failure; t != null; t = next(t)) {
      if (t instanceof SecretBox.SecretException) {
        return new FailureClassifier.Classified(
            FailureCategory.CREDENTIALS_UNAVAILABLE, t.getMessage());
      }
    }
    Throwable broker = brokerFailure(failure);
    if (broker != null) {
      // The platform's broker, not the account's server: it is waited out by the reconnects.
      return new FailureClassifier.Classified(
          FailureCategory.INTERNAL_ERROR,
          broker instanceof MailboxEvents.EventsNotAcknowledgedException
              ? limit(broker.getMessage())
              : detail(failure));
    }
    if (internal(failure)) {
      return new FailureClassifier.Classified(FailureCategory.INTERNAL_ERROR, detail(failure));
    }
    return FailureClassifier.classify(failure);
  }

  /**
   * Whether the failure's stack belongs in the log: the connector's own failure (an Error, a bug),
   * not the broker's refusal or timeout, whose stack says nothing an operator needs.
   */
  static boolean stackWorthy(Throwable failure) {
    return internal(failure) && brokerFailure(failure) == null;
  }

  /** The broker's refusal or timeout of events behind a failure, or null. */
  private static Throwable brokerFailure(Throwable failure) {
    for (Throwable t = failure; t != null; t = next(t)) {
      if (t instanceof MailboxEvents.EventsNotAcknowledgedException
          || t instanceof org.apache.kafka.common.KafkaException) {
        return t;
      }
    }
    return null;
  }

  /** An Error anywhere in the chain, or an unchecked exception that no outside failure explains. */
  static boolean internal(Throwable failure) {
    boolean outside = false;
    for (Throwable t = failure; t != null; t = next(t)) {
      if (t instanceof Error) {
        return true;
      }
      outside |=
          t instanceof MessagingException
              || t instanceof IOException
              || t instanceof GeneralSecurityException
              || t instanceof HostPolicy.HostNotAllowedException
              || t instanceof org.eclipse.angus.mail.iap.ProtocolException;
    }
    return failure instanceof RuntimeException && !outside;
  }

  /**
   * The class and message of the innermost Error, or else of the innermost cause: "Java heap space"
   * alone would not say what happened. Messages of these exceptions hold no credential.
   */
  private static String detail(Throwable failure) {
    Throwable named = failure;
    for (Throwable t = failure; t != null; t = next(t)) {
      if (t instanceof Error || !(named instanceof Error)) {
        named = t;
      }
    }
    String text =
        named.getMessage() == null
            ? named.getClass().getSimpleName()
            : named.getClass().getSimpleName() + ": " + named.getMessage();
    return limit(text);
  }

  private static String limit(String text) {
    return text.length() > 500 ? text.substring(0, 500) : text;
  }

  /**
   * Whether a failure is one mailbox's (a NO to its SELECT, STATUS or FETCH: deleted or renamed
   * under the session, RFC 9051 §7.1.2) rather than the connection's, which ends the session.
   */
  static boolean mailboxOnly(MessagingException e) {
    if (e instanceof jakarta.mail.FolderClosedException
        || e instanceof jakarta.mail.StoreClosedException) {
      return false;
    }
    if (e instanceof jakarta.mail.FolderNotFoundException) {
      return true;
    }
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof org.eclipse.angus.mail.iap.CommandFailedException) {
        return true;
      }
      if (t instanceof org.eclipse.angus.mail.iap.ConnectionException) {
        return false;
      }
    }
    return false;
  }

  private static Throwable next(Throwable t) {
    return t.getCause() == t ? null : t.getCause();
  }
}
