package dev.mailroom.connector.command;

import static dev.mailroom.events.mail.CommandFailed.Reason.SERVER_REFUSED;
import static dev.mailroom.events.mail.CommandFailed.Reason.UIDVALIDITY_CHANGED;
import static dev.mailroom.events.mail.CommandFailed.Reason.UNSUPPORTED;

import dev.mailroom.connector.imap.ImapCommands;
import dev.mailroom.connector.session.SessionContext;
import dev.mailroom.connector.session.SessionWork;
import dev.mailroom.events.command.CommandRequested;
import dev.mailroom.events.command.CommandTarget;
import jakarta.mail.MessagingException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;

/**
 * Deletes the command's messages for good: {@code UID STORE +FLAGS.SILENT (\Deleted)}, then {@code
 * UID EXPUNGE} of exactly those UIDs (RFC 4315 §2.1). A server without UIDPLUS gets a clear
 * failure: its only expunge, a plain EXPUNGE, would also remove every message another client marked
 * \Deleted. A message already gone is counted unchanged, so a run after a crash deletes nothing
 * twice.
 */
final class DeleteCommand implements SessionWork<Outcome> {

  private final CommandRequested command;
  private final int chunk;
  private final Tally tally = new Tally();

  DeleteCommand(CommandRequested command, int chunk) {
    this.command = command;
    this.chunk = chunk;
  }

  @Override
  public Outcome run(SessionContext context) throws Exception {
    if (!context.hasCapability("UIDPLUS")) {
      return Outcome.failed(
          UNSUPPORTED,
          "the server offers no UIDPLUS (RFC 4315): deleting would need a plain"
              + " EXPUNGE, which also removes every message another client marked \\Deleted; nothing was deleted");
    }
    Map<String, List<CommandTarget>> bySource = new LinkedHashMap<>();
    for (CommandTarget t : command.targets()) {
      bySource.computeIfAbsent(t.mailbox().value(), k -> new ArrayList<>()).add(t);
    }
    for (var entry : bySource.entrySet()) {
      try {
        deleteIn(context, entry.getKey(), entry.getValue());
      } catch (CommandRefused refused) {
        tally.fail(refused.reason(), refused.getMessage());
      } catch (MessagingException e) {
        if (!ServerRefusal.is(e)) {
          throw e;
        }
        tally.fail(SERVER_REFUSED, ServerRefusal.text(e));
      }
    }
    return tally.outcome();
  }

  private void deleteIn(SessionContext context, String path, List<CommandTarget> targets)
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
                              + " was reset on the server; the message must be found again");
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
      long[] present = present(folder, wanted);
      tally.unchanged += wanted.length - present.length;
      for (int from = 0; from < present.length; from += chunk) {
        int to = Math.min(present.length, from + chunk);
        String set = ImapCommands.uidSet(present, from, to);
        ImapCommands.run(folder, "UID STORE " + set + " +FLAGS.SILENT (\\Deleted)");
        ImapCommands.run(folder, "UID EXPUNGE " + set);
        tally.changed += to - from;
      }
    } finally {
      folder.close(false);
    }
  }

  static long[] present(IMAPFolder folder, long[] wanted) throws MessagingException {
    List<Long> found = new ArrayList<>();
    for (Response r :
        ImapCommands.run(
            folder, "UID SEARCH UID " + ImapCommands.uidSet(wanted, 0, wanted.length))) {
      if (r instanceof IMAPResponse ir && ir.keyEquals("SEARCH")) {
        for (long uid = ir.readLong(); uid > 0; uid = ir.readLong()) {
          found.add(uid);
        }
      }
    }
    return found.stream()
        .mapToLong(Long::longValue)
        .filter(u -> Arrays.binarySearch(wanted, u) >= 0)
        .sorted()
        .distinct()
        .toArray();
  }
}
