package dev.mailroom.sync.ingest;

import dev.mailroom.events.MailroomEvent;
import dev.mailroom.events.mail.FlagsChanged;
import dev.mailroom.events.mail.MailboxChanged;
import dev.mailroom.events.mail.MailboxChanged.Change;
import dev.mailroom.events.mail.MailboxStatus;
import dev.mailroom.events.mail.MessageAdded;
import dev.mailroom.events.mail.MessageExpunged;
import dev.mailroom.events.mail.SyncProgress;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.EmailAddress;
import dev.mailroom.events.model.MailboxPath;
import dev.mailroom.events.model.ModSeq;
import dev.mailroom.events.model.Uid;
import dev.mailroom.events.model.UidValidity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A small IMAP server in memory that turns operations (deliver, copy, flag, expunge, move, rename,
 * reset, create, delete, status) into the events a connector emits for them, in order. It keeps the
 * truth, so a test can compare the store with the server as well as with itself. Operations are
 * chosen by plain integers, so a seeded random source can generate histories.
 */
final class MailServerModel {

  static final AccountId ACCOUNT = AccountId.of("6f1c2a52-7d0e-4c38-9b51-3f8a0c1d2e44");
  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
  private static final List<String> NAMES = List.of("INBOX", "Archive", "Work", "Old", "Trash");
  private static final List<List<String>> FLAG_SETS =
      List.of(List.of(), List.of("\\Seen"), List.of("\\Seen", "\\Flagged"), List.of("$Label1"));

  static final class Box {
    long uidValidity;
    long uidNext = 1;
    long modSeq = 1;
    final TreeMap<Long, Msg> messages = new TreeMap<>();
    final java.util.Set<String> names = new java.util.HashSet<>();
  }

  record Msg(int identity, List<String> flags, long modSeq) {}

  private final Map<String, Box> boxes = new LinkedHashMap<>();
  private final List<MailroomEvent> history = new ArrayList<>();
  private long nextValidity = 100;
  private int nextIdentity = 1;
  private int clock;

  private final boolean renameBack;

  /**
   * @param renameBack whether a mailbox may be renamed back to a name it had (A to B to A): the one
   *     history where a replayed rename moves data for a while (see Reconciler#rename)
   */
  MailServerModel(boolean renameBack) {
    this.renameBack = renameBack;
    Box inbox = new Box();
    inbox.uidValidity = nextValidity++;
    boxes.put("INBOX", inbox);
  }

  /**
   * Runs one operation chosen by {@code op}; an operation that does not fit the state is a no-op.
   */
  void run(int op) {
    int kind = op % 11;
    int arg = op / 11;
    List<String> paths = new ArrayList<>(boxes.keySet());
    String path = paths.get(arg % paths.size());
    Box box = boxes.get(path);
    switch (kind) {
      case 0, 1 -> deliver(path, box, nextIdentity++, FLAG_SETS.get(arg % FLAG_SETS.size()));
      case 2 ->
          pick(box, arg)
              .ifPresent(
                  uid -> {
                    Msg m = box.messages.get(uid);
                    List<String> flags = FLAG_SETS.get((arg / 7) % FLAG_SETS.size());
                    Msg changed = new Msg(m.identity(), flags, ++box.modSeq);
                    box.messages.put(uid, changed);
                    emit(
                        new FlagsChanged(
                            ACCOUNT,
                            MailboxPath.of(path),
                            UidValidity.of(box.uidValidity),
                            Uid.of(uid),
                            ModSeq.of(changed.modSeq()),
                            flags,
                            now()));
                  });
      case 3 -> pick(box, arg).ifPresent(uid -> expunge(path, box, uid));
      case 4 ->
          pick(box, arg)
              .ifPresent(
                  uid -> { // move (RFC 6851): added at target, then expunged
                    String target = paths.get((arg / 5) % paths.size());
                    if (!target.equals(path)) {
                      Msg m = box.messages.get(uid);
                      deliver(target, boxes.get(target), m.identity(), m.flags());
                      expunge(path, box, uid);
                    }
                  });
      case 5 ->
          pick(box, arg)
              .ifPresent(
                  uid -> { // copy: a second location, same identity
                    String target = paths.get((arg / 5) % paths.size());
                    deliver(
                        target,
                        boxes.get(target),
                        box.messages.get(uid).identity(),
                        box.messages.get(uid).flags());
                  });
      case 6 -> status(path, box);
      case 7 ->
          free(arg)
              .ifPresent(
                  to -> {
                    if (!path.equals("INBOX") && (renameBack || !box.names.contains(to))) {
                      box.names.add(
                          path); // RFC 9051 §6.3.6: renaming INBOX is special; leave it be
                      boxes.remove(path);
                      boxes.put(to, box);
                      emit(
                          new MailboxChanged(
                              ACCOUNT,
                              Change.RENAMED,
                              MailboxPath.of(to),
                              MailboxPath.of(path),
                              UidValidity.of(box.uidValidity),
                              null,
                              now()));
                    }
                  });
      case 8 -> { // UIDVALIDITY changes: every message gets a new UID, a fresh sync follows
        long previous = box.uidValidity;
        TreeMap<Long, Msg> old = new TreeMap<>(box.messages);
        box.messages.clear();
        box.uidValidity = nextValidity++;
        box.uidNext = 1;
        emit(
            new MailboxChanged(
                ACCOUNT,
                Change.RESET,
                MailboxPath.of(path),
                null,
                UidValidity.of(box.uidValidity),
                UidValidity.of(previous),
                now()));
        old.values().forEach(m -> deliver(path, box, m.identity(), m.flags()));
        status(path, box);
      }
      case 9 ->
          free(arg)
              .ifPresent(
                  to -> {
                    Box created = new Box();
                    created.uidValidity = nextValidity++;
                    boxes.put(to, created);
                    emit(
                        new MailboxChanged(
                            ACCOUNT,
                            Change.CREATED,
                            MailboxPath.of(to),
                            null,
                            UidValidity.of(created.uidValidity),
                            null,
                            now()));
                  });
      default -> {
        if (!path.equals("INBOX") && (arg % 3 == 0)) {
          boxes.remove(path);
          emit(
              new MailboxChanged(
                  ACCOUNT,
                  Change.DELETED,
                  MailboxPath.of(path),
                  null,
                  UidValidity.of(box.uidValidity),
                  null,
                  now()));
        } else {
          emit(
              new SyncProgress(
                  ACCOUNT,
                  MailboxPath.of(path),
                  UidValidity.of(box.uidValidity),
                  box.messages.size() / 2 + arg % 3,
                  box.messages.size() + 3,
                  now()));
        }
      }
    }
  }

  List<MailroomEvent> history() {
    return history;
  }

  /** The server's truth: one line per location, as {@link TestDatabase#snapshot} writes them. */
  List<String> locations() {
    List<String> rows = new ArrayList<>();
    new TreeMap<>(boxes)
        .forEach(
            (path, box) ->
                box.messages.forEach(
                    (uid, m) -> {
                      List<String> flags = new ArrayList<>(m.flags());
                      java.util.Collections.sort(flags);
                      rows.add(
                          "%s %d %d %s %s"
                              .formatted(
                                  path,
                                  box.uidValidity,
                                  uid,
                                  identity(m.identity()),
                                  String.join(" ", flags)));
                    }));
    return rows;
  }

  /** How many distinct messages the server holds. */
  long messages() {
    TreeSet<Integer> identities = new TreeSet<>();
    boxes.values().forEach(b -> b.messages.values().forEach(m -> identities.add(m.identity())));
    return identities.size();
  }

  private void deliver(String path, Box box, int identity, List<String> flags) {
    long uid = box.uidNext++;
    long modSeq = ++box.modSeq;
    box.messages.put(uid, new Msg(identity, flags, modSeq));
    String id = identity(identity);
    emit(
        new MessageAdded(
            ACCOUNT,
            MailboxPath.of(path),
            UidValidity.of(box.uidValidity),
            Uid.of(uid),
            ModSeq.of(modSeq),
            id,
            "<" + identity + "@example.com>",
            (identity % 3 == 0 ? "Re: " : "") + "Subject " + (identity % 4),
            List.of(new EmailAddress("Sender", "s" + identity + "@example.com")),
            List.of(),
            List.of(),
            T0.plusSeconds(identity),
            T0.plusSeconds(60L * identity),
            1000 + identity,
            flags,
            identity % 2 == 0 ? "<" + (identity - 1) + "@example.com>" : null,
            List.of(),
            "snippet " + identity,
            "body " + identity,
            null,
            identity % 4 == 0
                ? List.of(new MessageAdded.Attachment("2", "a.pdf", "application/pdf", 10))
                : List.of()));
  }

  private void expunge(String path, Box box, long uid) {
    box.messages.remove(uid);
    box.modSeq++;
    emit(
        new MessageExpunged(
            ACCOUNT, MailboxPath.of(path), UidValidity.of(box.uidValidity), Uid.of(uid), now()));
  }

  private void status(String path, Box box) {
    long unseen = box.messages.values().stream().filter(m -> !m.flags().contains("\\Seen")).count();
    emit(
        new MailboxStatus(
            ACCOUNT,
            MailboxPath.of(path),
            "/",
            path.equals("Archive") ? "archive" : null,
            UidValidity.of(box.uidValidity),
            box.uidNext,
            ModSeq.of(box.modSeq),
            box.messages.size(),
            unseen,
            now()));
  }

  private java.util.Optional<Long> pick(Box box, int arg) {
    if (box.messages.isEmpty()) {
      return java.util.Optional.empty();
    }
    List<Long> uids = new ArrayList<>(box.messages.keySet());
    return java.util.Optional.of(uids.get(arg % uids.size()));
  }

  private java.util.Optional<String> free(int arg) {
    List<String> free = NAMES.stream().filter(n -> !boxes.containsKey(n)).toList();
    return free.isEmpty()
        ? java.util.Optional.empty()
        : java.util.Optional.of(free.get(arg % free.size()));
  }

  private void emit(MailroomEvent event) {
    history.add(event);
  }

  private Instant now() {
    return T0.plusSeconds(3600L + clock++);
  }

  static String identity(int n) {
    return "mid:" + String.format("%064x", n);
  }
}
