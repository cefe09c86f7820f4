package dev.mailroom.connector.command;

import static dev.mailroom.events.mail.CommandFailed.Reason.EXPIRED;
import static dev.mailroom.events.mail.CommandFailed.Reason.NOT_CONNECTED;

import dev.mailroom.connector.config.ConnectorConfig;
import dev.mailroom.connector.session.NotHeldHereException;
import dev.mailroom.connector.session.SessionManager;
import dev.mailroom.connector.session.SessionWork;
import dev.mailroom.events.command.CommandRequested;
import io.quarkus.logging.Log;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * One command's way through its account's session: wait for the session if the account's definition
 * is not read yet, run the work, run it again after a lost connection (it is safe to run twice),
 * and wait until the syncs it asked for have been published, so that its outcome follows the mail
 * events of its changes on the mail topic.
 */
final class CommandRun {

  /** Runs of a command whose connection failed under it before it is given up. */
  private static final int ATTEMPTS = 3;

  private final SessionManager sessions;
  private final ConnectorConfig.Commands settings;
  private final Clock clock;
  private final BooleanSupplier stillOurs;

  CommandRun(
      SessionManager sessions,
      ConnectorConfig.Commands settings,
      Clock clock,
      BooleanSupplier stillOurs) {
    this.sessions = sessions;
    this.settings = settings;
    this.clock = clock;
    this.stillOurs = stillOurs;
  }

  Outcome apply(CommandRequested command) throws InterruptedException {
    Instant now = clock.instant();
    if (command.requestedAt().plus(settings.maxAge()).isBefore(now)) {
      return Outcome.failed(
          EXPIRED,
          "the command waited since "
              + command.requestedAt()
              + ", longer than "
              + settings.maxAge()
              + "; the mailbox may have changed since, so it was not applied");
    }
    SessionWork<Outcome> work =
        switch (command.action()) {
          case FLAGS -> new FlagCommand(command);
          case MOVE -> new MoveCommand(command, settings.moveChunk());
          case DELETE -> new DeleteCommand(command, settings.moveChunk());
          case CREATE_MAILBOX, RENAME_MAILBOX, DELETE_MAILBOX -> new MailboxCommand(command);
        };
    Instant holdDeadline = now.plus(settings.holdWait());
    Exception last = null;
    for (int attempt = 0; attempt < ATTEMPTS; ) {
      try {
        Outcome outcome = run(command, work);
        // Work runs in order, each followed by the syncs it asked for: once this empty work has
        // run, the events of the command's changes have been handed to the producer, before the
        // outcome that the caller publishes next.
        run(command, context -> null);
        return outcome;
      } catch (ExecutionException e) {
        if (e.getCause() instanceof NotHeldHereException) {
          if (!stillOurs.getAsBoolean() || clock.instant().isAfter(holdDeadline)) {
            return Outcome.failed(
                NOT_CONNECTED,
                "the account has no connection to its server now"
                    + " (disconnected or deleted); the command was not applied");
          }
          Thread.sleep(500); // the session starts once the account's definition is read
          continue;
        }
        last = e;
        attempt++;
        Log.warnf(
            "command %s: its connection failed (%s); running it again",
            command.commandId(), e.getCause() == null ? e : e.getCause().getMessage());
      } catch (TimeoutException e) {
        return Outcome.failed(
            NOT_CONNECTED,
            "the account's server did not answer within "
                + settings.timeout()
                + "; the command may be applied in part: its messages show the server's state");
      }
    }
    return Outcome.failed(
        NOT_CONNECTED,
        "the connection failed "
            + ATTEMPTS
            + " times while applying the command: "
            + (last.getCause() == null ? last.getMessage() : last.getCause().getMessage()));
  }

  private <T> T run(CommandRequested command, SessionWork<T> work)
      throws ExecutionException, TimeoutException, InterruptedException {
    var future = sessions.submit(command.accountId(), work);
    try {
      return future.get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(false); // a work whose future is done is skipped when its turn comes
      throw e;
    }
  }
}
