package dev.mailroom.connector.command;

import static dev.mailroom.events.mail.CommandFailed.Reason.CONFLICT;
import static dev.mailroom.events.mail.CommandFailed.Reason.NOT_FOUND;
import static dev.mailroom.events.mail.CommandFailed.Reason.UIDVALIDITY_CHANGED;

import dev.mailroom.connector.imap.ImapCommands;
import dev.mailroom.connector.imap.MessageMapper;
import dev.mailroom.connector.session.SessionContext;
import dev.mailroom.connector.session.SessionWork;
import dev.mailroom.events.command.CommandRequested;
import dev.mailroom.events.command.CommandTarget;
import dev.mailroom.events.command.FlagEdit;
import jakarta.mail.MessagingException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.protocol.FLAGS;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.MODSEQ;
import org.eclipse.angus.mail.imap.protocol.UID;
import org.eclipse.angus.mail.imap.protocol.UIDSet;

/**
 * Adds and removes flags on the command's messages, mailbox by mailbox, on the session's
 * connection. Safe to run again (a command read twice after a crash): each message is first read as
 * it is now, and one already as asked is left alone and counted unchanged.
 *
 * <p>A race with another client is settled flag by flag, as a three-way merge: the base is what the
 * owner saw ({@link CommandTarget#seenFlags}), theirs is the server's state now. A flag the owner
 * changes that another client also changed since the owner saw it keeps the other client's value (a
 * conflict, reported); every other flag gets the owner's value, and flags the owner did not name
 * are never touched. With CONDSTORE the write is {@code UID STORE uids (UNCHANGEDSINCE m)
 * FLAGS.SILENT (...)} where m is the highest MODSEQ read just before (RFC 7162 §3.1.3): a change
 * that slips in between the read and the write makes the server refuse that message ({@code
 * [MODIFIED uids]}), and it is read and merged again, so nothing another client did is overwritten
 * blindly. Without CONDSTORE the server offers no such guard: {@code +FLAGS} and {@code -FLAGS}
 * touch only the named flags, and the window between read and write stays open.
 */
final class FlagCommand implements SessionWork<Outcome> {

  /** RFC 7162 §3.1.3: the tagged OK of a conditional STORE names the messages it did not change. */
  private static final Pattern MODIFIED =
      Pattern.compile("\\[MODIFIED ([0-9:,]+)\\]", Pattern.CASE_INSENSITIVE);

  /** Rounds of read-merge-write for messages that keep changing under the command. */
  private static final int ROUNDS = 5;

  private final CommandRequested command;
  private final Tally tally = new Tally();

  FlagCommand(CommandRequested command) {
    this.command = command;
  }

  @Override
  public Outcome run(SessionContext context) throws Exception {
    Map<String, List<CommandTarget>> byMailbox = new LinkedHashMap<>();
    for (CommandTarget t : command.targets()) {
      byMailbox.computeIfAbsent(t.mailbox().value(), k -> new ArrayList<>()).add(t);
    }
    for (var entry : byMailbox.entrySet()) {
      try {
        applyIn(context, entry.getKey(), entry.getValue());
      } catch (CommandRefused refused) {
        tally.fail(refused.reason(), refused.getMessage());
      } catch (MessagingException e) {
        if (!ServerRefusal.is(e)) {
          throw e; // the connection failed: the consumer runs the command again once reconnected
        }
        tally.fail(
            dev.mailroom.events.mail.CommandFailed.Reason.SERVER_REFUSED, ServerRefusal.text(e));
      }
    }
    return tally.outcome();
  }

  private void applyIn(SessionContext context, String path, List<CommandTarget> targets)
      throws Exception {
    IMAPFolder folder = WritableMailbox.open(context, path);
    try {
      long uidValidity = folder.getUIDValidity();
      Map<Long, CommandTarget> pending = new TreeMap<>();
      for (CommandTarget t : targets) {
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
        } else {
          pending.put(t.uid().value(), t);
        }
      }
      boolean condstore = context.hasCapability("CONDSTORE") || context.hasCapability("QRESYNC");
      for (int round = 0; !pending.isEmpty(); round++) {
        if (round == ROUNDS) {
          tally.fail(
              CONFLICT,
              pending.size()
                  + " message(s) in "
                  + path
                  + " kept changing on the server; not changed");
          break;
        }
        pending =
            condstore ? conditionalRound(folder, path, pending) : plainRound(folder, path, pending);
      }
    } finally {
      folder.close(false); // never expunge: CLOSE would remove what another client marked \Deleted
    }
  }

  /**
   * @return the messages the server refused as modified meanwhile: read and merge them again
   */
  private Map<Long, CommandTarget> conditionalRound(
      IMAPFolder folder, String path, Map<Long, CommandTarget> pending) throws MessagingException {
    Map<Long, Now> now = read(folder, pending.keySet(), true);
    long since = 0;
    Map<List<String>, List<Long>> writes = new LinkedHashMap<>();
    for (var entry : pending.entrySet()) {
      Now current = now.get(entry.getKey());
      List<String> target = plan(path, entry.getValue(), current);
      if (target != null) {
        writes.computeIfAbsent(target, k -> new ArrayList<>()).add(entry.getKey());
        since = Math.max(since, current.modSeq());
      }
    }
    Map<Long, CommandTarget> again = new TreeMap<>();
    for (var write : writes.entrySet()) {
      long[] uids = write.getValue().stream().mapToLong(Long::longValue).toArray();
      Response[] replies =
          ImapCommands.run(
              folder,
              "UID STORE "
                  + ImapCommands.uidSet(uids, 0, uids.length)
                  + " (UNCHANGEDSINCE "
                  + since
                  + ") FLAGS.SILENT ("
                  + String.join(" ", write.getKey())
                  + ")");
      List<Long> modified = modified(replies[replies.length - 1]);
      for (long uid : uids) {
        if (modified.contains(uid)) {
          again.put(uid, pending.get(uid));
        } else {
          tally.changed++;
        }
      }
    }
    return again;
  }

  /** Without CONDSTORE: add and remove only the named flags; nothing to retry. */
  private Map<Long, CommandTarget> plainRound(
      IMAPFolder folder, String path, Map<Long, CommandTarget> pending) throws MessagingException {
    Map<Long, Now> now = read(folder, pending.keySet(), false);
    Map<List<String>, List<Long>> adds = new LinkedHashMap<>();
    Map<List<String>, List<Long>> removes = new LinkedHashMap<>();
    for (var entry : pending.entrySet()) {
      Now current = now.get(entry.getKey());
      List<String> target = plan(path, entry.getValue(), current);
      if (target != null) {
        List<String> add = target.stream().filter(f -> !Flags.has(current.flags(), f)).toList();
        List<String> remove = current.flags().stream().filter(f -> !Flags.has(target, f)).toList();
        if (!add.isEmpty()) {
          adds.computeIfAbsent(add, k -> new ArrayList<>()).add(entry.getKey());
        }
        if (!remove.isEmpty()) {
          removes.computeIfAbsent(remove, k -> new ArrayList<>()).add(entry.getKey());
        }
        tally.changed++;
      }
    }
    store(folder, adds, "+FLAGS.SILENT");
    store(folder, removes, "-FLAGS.SILENT");
    return Map.of();
  }

  private static void store(IMAPFolder folder, Map<List<String>, List<Long>> writes, String item)
      throws MessagingException {
    for (var write : writes.entrySet()) {
      long[] uids = write.getValue().stream().mapToLong(Long::longValue).toArray();
      ImapCommands.run(
          folder,
          "UID STORE "
              + ImapCommands.uidSet(uids, 0, uids.length)
              + " "
              + item
              + " ("
              + String.join(" ", write.getKey())
              + ")");
    }
  }

  /**
   * The merge for one message: the flags it must have, or null when it needs no write (gone, or
   * already as asked after the merge). Counts what it decides.
   */
  private List<String> plan(String path, CommandTarget target, Now current) {
    if (current == null) {
      tally.fail(
          NOT_FOUND,
          "message " + target.uid() + " is no longer in " + path + " (expunged or moved)");
      return null;
    }
    // With CONDSTORE, a MODSEQ no higher than the one the owner saw means nobody changed it since.
    boolean untouched =
        target.modSeq() != null
            && current.modSeq() >= 0
            && current.modSeq() <= target.modSeq().value();
    FlagEdit edit = command.flags();
    List<String> result = new ArrayList<>(current.flags());
    List<String> conflicts = new ArrayList<>();
    for (String flag : Flags.union(edit.add(), edit.remove())) {
      boolean want = Flags.has(edit.add(), flag);
      boolean now = Flags.has(current.flags(), flag);
      if (want == now) {
        continue;
      }
      if (!untouched && Flags.has(target.seenFlags(), flag) != now) {
        conflicts.add(flag); // theirs changed this flag after the owner saw it: theirs stands
        continue;
      }
      if (want) {
        result.add(flag);
      } else {
        result.removeIf(f -> f.equalsIgnoreCase(flag));
      }
    }
    if (!conflicts.isEmpty()) {
      tally.fail(
          CONFLICT,
          "another client changed "
              + String.join(" ", conflicts)
              + " of message "
              + target.uid()
              + " in "
              + path
              + " after it was shown; the server's value stands");
    }
    if (result.size() == current.flags().size()
        && Flags.union(result, current.flags()).size() == result.size()) {
      if (conflicts.isEmpty()) {
        tally.unchanged++;
      }
      return null;
    }
    return List.copyOf(result);
  }

  /** The flags (and MODSEQ, with CONDSTORE) of the messages that are still there. */
  private static Map<Long, Now> read(IMAPFolder folder, java.util.Set<Long> uids, boolean condstore)
      throws MessagingException {
    long[] set = uids.stream().mapToLong(Long::longValue).sorted().toArray();
    Map<Long, Now> out = new HashMap<>();
    for (Response r :
        ImapCommands.run(
            folder,
            "UID FETCH "
                + ImapCommands.uidSet(set, 0, set.length)
                + (condstore ? " (UID FLAGS MODSEQ)" : " (UID FLAGS)"))) {
      if (r instanceof FetchResponse fetch) {
        UID uid = fetch.getItem(UID.class);
        FLAGS flags = fetch.getItem(FLAGS.class);
        MODSEQ modSeq = fetch.getItem(MODSEQ.class);
        if (uid != null && flags != null && uids.contains(uid.uid)) {
          out.put(
              uid.uid, new Now(MessageMapper.flags(flags), modSeq == null ? -1 : modSeq.modseq));
        }
      }
    }
    return out;
  }

  private static List<Long> modified(Response tagged) {
    Matcher m = MODIFIED.matcher(tagged.toString());
    if (!m.find()) {
      return List.of();
    }
    List<Long> out = new ArrayList<>();
    for (long uid : UIDSet.toArray(UIDSet.parseUIDSets(m.group(1)))) {
      out.add(uid);
    }
    return out;
  }

  private record Now(List<String> flags, long modSeq) {}
}
