package dev.mailroom.connector.command;

import static dev.mailroom.events.mail.CommandFailed.Reason.NOT_FOUND;
import static dev.mailroom.events.mail.CommandFailed.Reason.SERVER_REFUSED;

import dev.mailroom.connector.imap.ImapCommands;
import dev.mailroom.connector.session.SessionContext;
import dev.mailroom.connector.session.SessionWork;
import dev.mailroom.events.command.CommandRequested;
import dev.mailroom.events.model.MailboxPath;
import jakarta.mail.MessagingException;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.protocol.BASE64MailboxEncoder;

/**
 * Creates, renames or deletes a mailbox (RFC 9051 §6.3.4-6.3.6), then has the session LIST again so
 * the change is announced as a {@code mailbox.changed} event before the outcome. Safe to run again:
 * a mailbox already created, already renamed or already gone is counted unchanged.
 */
final class MailboxCommand implements SessionWork<Outcome> {

  private final CommandRequested command;

  MailboxCommand(CommandRequested command) {
    this.command = command;
  }

  @Override
  public Outcome run(SessionContext context) throws Exception {
    try {
      Outcome outcome =
          switch (command.action()) {
            case CREATE_MAILBOX -> create(context, command.destination().value());
            case RENAME_MAILBOX ->
                rename(context, command.mailbox().value(), command.destination().value());
            case DELETE_MAILBOX -> delete(context, command.mailbox().value());
            default ->
                throw new IllegalArgumentException("not a mailbox command: " + command.action());
          };
      context.relist();
      return outcome;
    } catch (MessagingException e) {
      if (!ServerRefusal.is(e)) {
        throw e;
      }
      context.relist();
      return Outcome.failed(SERVER_REFUSED, ServerRefusal.text(e));
    }
  }

  private static Outcome create(SessionContext context, String path) throws MessagingException {
    if (context.folder(MailboxPath.of(path)).isPresent()) {
      return Outcome.applied(0, 1);
    }
    run(context, "CREATE " + wire(path));
    return Outcome.applied(1, 0);
  }

  private static Outcome rename(SessionContext context, String from, String to)
      throws MessagingException {
    if (context.folder(MailboxPath.of(from)).isEmpty()) {
      return context.folder(MailboxPath.of(to)).isPresent()
          ? Outcome.applied(0, 1)
          : Outcome.failed(NOT_FOUND, "mailbox " + from + " does not exist on the server");
    }
    run(context, "RENAME " + wire(from) + " " + wire(to));
    return Outcome.applied(1, 0);
  }

  private static Outcome delete(SessionContext context, String path) throws MessagingException {
    if (context.folder(MailboxPath.of(path)).isEmpty()) {
      return Outcome.applied(0, 1);
    }
    run(context, "DELETE " + wire(path));
    return Outcome.applied(1, 0);
  }

  /** On the session's store connection, with no mailbox selected by this work. */
  private static void run(SessionContext context, String command) throws MessagingException {
    IMAPFolder any = (IMAPFolder) context.store().getDefaultFolder();
    ImapCommands.run(any, command);
  }

  /** RFC 9051 §5.1.3 and §4.3: modified UTF-7, quoted. */
  static String wire(String path) {
    String encoded = BASE64MailboxEncoder.encode(path);
    return "\"" + encoded.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
