package dev.mailroom.connector.command;

import static dev.mailroom.events.mail.CommandFailed.Reason.NOT_FOUND;
import static dev.mailroom.events.mail.CommandFailed.Reason.SERVER_REFUSED;
import static dev.mailroom.events.mail.CommandFailed.Reason.UIDVALIDITY_CHANGED;
import static dev.mailroom.events.mail.CommandFailed.Reason.UNSUPPORTED;

import dev.mailroom.connector.imap.ImapCommands;
import dev.mailroom.connector.session.SessionContext;
import dev.mailroom.connector.session.SessionWork;
import dev.mailroom.events.command.CommandRequested;
import dev.mailroom.events.command.CommandTarget;
import dev.mailroom.events.model.MailboxPath;
import jakarta.mail.MessagingException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.protocol.BASE64MailboxEncoder;

/**
 * Moves the command's messages to its destination, mailbox by mailbox, in chunks: {@code UID MOVE}
 * where the server has MOVE (RFC 6851, atomic); otherwise {@code UID COPY}, {@code UID STORE
 * +FLAGS.SILENT (\Deleted)} and {@code UID EXPUNGE} of exactly those UIDs (RFC 4315 §2.1). Never a
 * plain EXPUNGE or a CLOSE: they would also remove every message another client marked {@code
 * \Deleted}. A server with neither MOVE nor UIDPLUS gets a clear failure and nothing is moved.
 *
 * <p>Run again after a crash, it moves only what is still in the source: a message no longer there
 * is counted unchanged, never moved twice. (It may also have been expunged or moved by another
 * client meanwhile; either way it has left the source, as the move asked, and the mail events tell
 * where it is.) On a server without MOVE, a crash between COPY and EXPUNGE of a chunk leaves that
 * chunk copied and still in the source; the run after it copies that chunk again (a known limit of
 * COPY-based moves, which no MOVE server has).
 */
final class MoveCommand implements SessionWork<Outcome> {

  private final CommandRequested command;
  private final int chunk;
  private final boolean useMove;
  private final Tally tally = new Tally();

  /**
   * @param chunk UIDs per MOVE: a killed connector leaves at most one chunk in doubt
   */
  MoveCommand(CommandRequested command, int chunk) {
    this(command, true, chunk);
  }

  /**
   * @param useMove false to move with COPY and UID EXPUNGE even where MOVE is offered: Dovecot
   *     cannot hide MOVE from one user while keeping UIDPLUS, so that path is tested this way
   */
  MoveCommand(CommandRequested command, boolean useMove, int chunk) {
    this.command = command;
    this.useMove = useMove;
    this.chunk = chunk;
  }

  @Override
  public Outcome run(SessionContext context) throws Exception {
    String destination = command.destination().value();
    if (context.folder(MailboxPath.of(destination)).isEmpty()) {
      return Outcome.failed(
          NOT_FOUND, "the destination mailbox " + destination + " does not exist on the server");
    }
    boolean move = useMove && context.hasCapability("MOVE");
    if (!move && !context.hasCapability("UIDPLUS")) {
      return Outcome.failed(
          UNSUPPORTED,
          "the server offers neither MOVE (RFC 6851) nor UIDPLUS (RFC 4315):"
              + " a move would need a plain EXPUNGE, which also removes every message another client marked"
              + " \\Deleted in the mailbox; nothing was moved");
    }
    Map<String, List<CommandTarget>> bySource = new LinkedHashMap<>();
    for (CommandTarget t : command.targets()) {
      bySource.computeIfAbsent(t.mailbox().value(), k -> new ArrayList<>()).add(t);
    }
    String wireName = quoted(BASE64MailboxEncoder.encode(destination));
    for (var entry : bySource.entrySet()) {
      if (entry.getKey().equals(destination)) {
        tally.unchanged += entry.getValue().size();
        continue;
      }
      try {
        moveFrom(context, entry.getKey(), entry.getValue(), wireName, move);
      } catch (CommandRefused refused) {
        tally.fail(refused.reason(), refused.getMessage());
      } catch (MessagingException e) {
        if (!ServerRefusal.is(e)) {
          throw e;
        }
        tally.fail(SERVER_REFUSED, ServerRefusal.text(e));
      }
    }
    context.resync(MailboxPath.of(destination));
    return tally.outcome();
  }

  private void moveFrom(
      SessionContext context,
      String path,
      List<CommandTarget> targets,
      String wireName,
      boolean move)
      throws Exception {
    IMAPFolder folder = WritableMailbox.open(context, path);
    try {
      long uidValidity = folder.getUIDValidity();
      long[] wanted =
          targets.stream()
              .filter(
                  t -> {
                    if (t.uidValidity().value() != uidValidity) {
                      tally.fail(
                          UIDVALIDITY_CHANGED,
                          "mailbox "
                              + path
                              + " was reset on the server (UIDVALIDITY "
                              + t.uidValidity()
                              + " is now "
                              + uidValidity
                              + "); the message must be found again");
                      return false;
                    }
                    return true;
                  })
              .mapToLong(t -> t.uid().value())
              .sorted()
              .distinct()
              .toArray();
      if (wanted.length == 0) {
        return;
      }
      long[] present = DeleteCommand.present(folder, wanted);
      tally.unchanged += wanted.length - present.length; // already gone from the source
      for (int from = 0; from < present.length; from += chunk) {
        int to = Math.min(present.length, from + chunk);
        String set = ImapCommands.uidSet(present, from, to);
        if (move) {
          ImapCommands.run(folder, "UID MOVE " + set + " " + wireName);
        } else {
          ImapCommands.run(folder, "UID COPY " + set + " " + wireName);
          ImapCommands.run(folder, "UID STORE " + set + " +FLAGS.SILENT (\\Deleted)");
          ImapCommands.run(folder, "UID EXPUNGE " + set); // RFC 4315 §2.1: only these UIDs
        }
        tally.changed += to - from;
      }
    } finally {
      folder.close(false); // never expunge on close
    }
  }

  /** RFC 9051 §4.3: a quoted string, with {@code \} and {@code "} escaped. */
  private static String quoted(String mailbox) {
    return "\"" + mailbox.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
