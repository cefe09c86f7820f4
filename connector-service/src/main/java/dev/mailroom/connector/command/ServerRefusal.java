package dev.mailroom.connector.command;

import org.eclipse.angus.mail.iap.BadCommandException;
import org.eclipse.angus.mail.iap.CommandFailedException;

/**
 * Whether a failure is the server's answer to the command (NO or BAD: permanent, its text goes to
 * the owner) rather than a lost connection (the command is run again after the reconnect).
 */
final class ServerRefusal {

  private ServerRefusal() {}

  static boolean is(Throwable failure) {
    return answer(failure) != null;
  }

  /** The server's words, without the tag. */
  static String text(Throwable failure) {
    Throwable answer = answer(failure);
    String text =
        answer == null || answer.getMessage() == null
            ? String.valueOf(failure.getMessage())
            : answer.getMessage();
    return text.strip();
  }

  private static Throwable answer(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof CommandFailedException || t instanceof BadCommandException) {
        return t;
      }
    }
    return null;
  }
}
