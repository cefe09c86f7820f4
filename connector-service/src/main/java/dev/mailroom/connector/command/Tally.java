package dev.mailroom.connector.command;

import dev.mailroom.events.mail.CommandFailed;
import java.util.ArrayList;
import java.util.List;

/** What a command did, counted across mailboxes; the first failure's reason names the outcome. */
final class Tally {

  private static final int MAX_DETAILS = 20;

  int changed;
  int unchanged;
  private CommandFailed.Reason reason;
  private final List<String> details = new ArrayList<>();

  void fail(CommandFailed.Reason why, String detail) {
    if (reason == null) {
      reason = why;
    }
    if (details.size() < MAX_DETAILS) {
      details.add(detail);
    } else if (details.size() == MAX_DETAILS) {
      details.add("...");
    }
  }

  Outcome outcome() {
    return reason == null
        ? Outcome.applied(changed, unchanged)
        : new Outcome(changed, unchanged, reason, String.join("; ", details));
  }
}
