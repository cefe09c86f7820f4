package dev.mailroom.connector.session;

import dev.mailroom.connector.checkpoint.MailboxState;
import dev.mailroom.connector.imap.ImapCommands;
import dev.mailroom.connector.imap.MessageMapper;
import dev.mailroom.events.model.ModSeq;
import dev.mailroom.events.model.Uid;
import jakarta.mail.MessagingException;
import jakarta.mail.event.MailEvent;
import jakarta.mail.event.MessageChangedEvent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPMessage;
import org.eclipse.angus.mail.imap.MessageVanishedEvent;
import org.eclipse.angus.mail.imap.protocol.FLAGS;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;
import org.eclipse.angus.mail.imap.protocol.MODSEQ;
import org.eclipse.angus.mail.imap.protocol.UID;

/**
 * What changed among the messages a mailbox already had at the last checkpoint (UIDs below its
 * UIDNEXT), found the cheapest way the server allows. Each path is one static method; the caller
 * compares the result with what it announced before. The highest MODSEQ and UID seen are filled in
 * by the path that learns them ({@link #changedSince}), else {@link ModSeq#NONE} and 0.
 */
record ServerChanges(
    List<FlagState> flags, Set<Uid> expunged, ModSeq highestModSeq, long highestUid) {

  ServerChanges(List<FlagState> flags, Set<Uid> expunged) {
    this(flags, expunged, ModSeq.NONE, 0);
  }

  /** RFC 7162 §3.1.2.1: the response code with the mailbox's highest MODSEQ. */
  private static final Pattern HIGHESTMODSEQ_CODE = Pattern.compile("\\[HIGHESTMODSEQ (\\d+)\\]");

  /** The flags of one message now, with its MODSEQ where the server keeps one (else null). */
  record FlagState(Uid uid, List<String> flags, ModSeq modSeq) {

    /** Angus's and the parser's way of saying "no MODSEQ" is a number below 1. */
    FlagState(long uid, List<String> flags, long modSeq) {
      this(Uid.of(uid), flags, modSeq > 0 ? ModSeq.of(modSeq) : null);
    }
  }

  enum Path {
    QRESYNC,
    CONDSTORE,
    FULL_SCAN
  }

  /**
   * RFC 7162 §3.2.5: with QRESYNC the EXAMINE itself answered with {@code VANISHED (EARLIER)} for
   * the expunged UIDs and a FETCH (UID FLAGS MODSEQ) for every message changed since the
   * checkpoint's MODSEQ; Angus hands them back from {@code open}.
   */
  static ServerChanges fromQresync(IMAPFolder folder, List<MailEvent> openEvents, long belowUid)
      throws MessagingException {
    List<FlagState> flags = new ArrayList<>();
    Set<Uid> expunged = new HashSet<>();
    for (MailEvent event : openEvents == null ? List.<MailEvent>of() : openEvents) {
      if (event instanceof MessageVanishedEvent vanished) {
        for (long uid : vanished.getUIDs()) {
          expunged.add(Uid.of(uid));
        }
      } else if (event instanceof MessageChangedEvent changed
          && changed.getMessage() instanceof IMAPMessage m) {
        long uid = folder.getUID(m);
        if (uid > 0 && uid < belowUid) {
          flags.add(new FlagState(uid, MessageMapper.flags(m.getFlags()), m.getModSeq()));
        }
      }
    }
    return new ServerChanges(flags, expunged);
  }

  /**
   * QRESYNC on a mailbox still selected since its last sync (RFC 7162 §3.2.6): {@code UID FETCH 1:*
   * (UID FLAGS MODSEQ) (CHANGEDSINCE m VANISHED)} names the messages changed since the checkpoint's
   * MODSEQ and, as {@code VANISHED (EARLIER)}, those expunged since; expunges seen while selected
   * come as plain {@code VANISHED}. No new EXAMINE: on a large Maildir one costs the server a
   * directory scan each time (about 370 ms at 100,000 messages on Dovecot).
   *
   * <p>Also learned: the highest MODSEQ (the tagged reply's {@code [HIGHESTMODSEQ]} code, or the
   * highest one fetched) and the highest UID seen, since the values Angus keeps from the EXAMINE
   * are stale by now.
   */
  static ServerChanges changedSince(IMAPFolder folder, long belowUid, ModSeq sinceModSeq)
      throws MessagingException {
    List<FlagState> flags = new ArrayList<>();
    Set<Uid> expunged = new HashSet<>();
    long highestModSeq = 0;
    long highestUid = 0;
    for (Response r :
        ImapCommands.run(
            folder,
            "UID FETCH 1:* (UID FLAGS MODSEQ) (CHANGEDSINCE " + sinceModSeq + " VANISHED)")) {
      if (r instanceof FetchResponse fetch) {
        UID uid = fetch.getItem(UID.class);
        FLAGS f = fetch.getItem(FLAGS.class);
        MODSEQ modSeq = fetch.getItem(MODSEQ.class);
        if (uid == null) {
          continue;
        }
        highestUid = Math.max(highestUid, uid.uid);
        if (modSeq != null) {
          highestModSeq = Math.max(highestModSeq, modSeq.modseq);
        }
        if (f != null && uid.uid < belowUid) {
          flags.add(
              new FlagState(uid.uid, MessageMapper.flags(f), modSeq == null ? -1 : modSeq.modseq));
        }
      } else if (r instanceof IMAPResponse ir && ir.keyEquals("VANISHED")) {
        for (long uid : ImapCommands.Vanished.of(ir).uids()) {
          expunged.add(Uid.of(uid));
          highestUid = Math.max(highestUid, uid);
        }
      } else if (r.isOK()) {
        var code = HIGHESTMODSEQ_CODE.matcher(r.toString());
        if (code.find()) {
          highestModSeq = Math.max(highestModSeq, Long.parseLong(code.group(1)));
        }
      }
    }
    // A message flagged \Deleted and then expunged shows in both: only its expunge matters.
    flags.removeIf(f -> expunged.contains(f.uid()));
    return new ServerChanges(flags, expunged, ModSeq.of(highestModSeq), highestUid);
  }

  /**
   * CONDSTORE without QRESYNC: {@code UID FETCH 1:n (FLAGS) (CHANGEDSINCE m)} (RFC 7162 §3.1.4.1)
   * names the changed messages, but expunges leave no trace, so the UIDs still there are listed
   * with {@code UID SEARCH} and compared with the UIDs announced before.
   */
  static ServerChanges fromCondstore(
      IMAPFolder folder, MailboxState state, long belowUid, ModSeq sinceModSeq)
      throws MessagingException {
    if (belowUid <= 1) {
      return new ServerChanges(List.of(), Set.of());
    }
    String range = "1:" + (belowUid - 1);
    List<FlagState> flags =
        fetchFlags(
            folder,
            "UID FETCH " + range + " (UID FLAGS MODSEQ) (CHANGEDSINCE " + sinceModSeq + ")");
    Set<Uid> present = searchUids(folder, "UID SEARCH UID " + range);
    return new ServerChanges(flags, gone(state, present));
  }

  /** Neither CONDSTORE nor QRESYNC: every UID and its flags, compared with what was announced. */
  static ServerChanges fromFullScan(IMAPFolder folder, MailboxState state, long belowUid)
      throws MessagingException {
    if (belowUid <= 1) {
      return new ServerChanges(List.of(), Set.of());
    }
    List<FlagState> flags = fetchFlags(folder, "UID FETCH 1:" + (belowUid - 1) + " (UID FLAGS)");
    Set<Uid> present = new HashSet<>();
    flags.forEach(f -> present.add(f.uid()));
    return new ServerChanges(flags, gone(state, present));
  }

  private static Set<Uid> gone(MailboxState state, Set<Uid> present) {
    Set<Uid> gone = new HashSet<>();
    for (long uid : state.known().uids()) {
      if (!present.contains(Uid.of(uid))) {
        gone.add(Uid.of(uid));
      }
    }
    return gone;
  }

  static List<FlagState> fetchFlags(IMAPFolder folder, String command) throws MessagingException {
    Response[] responses = ImapCommands.run(folder, command);
    List<FlagState> out = new ArrayList<>();
    for (Response r : responses) {
      if (r instanceof FetchResponse fetch) {
        UID uid = fetch.getItem(UID.class);
        FLAGS flags = fetch.getItem(FLAGS.class);
        MODSEQ modSeq = fetch.getItem(MODSEQ.class);
        if (uid != null && flags != null) {
          out.add(
              new FlagState(
                  uid.uid, MessageMapper.flags(flags), modSeq == null ? -1 : modSeq.modseq));
        }
      }
    }
    return out;
  }

  private static Set<Uid> searchUids(IMAPFolder folder, String command) throws MessagingException {
    Set<Uid> uids = new HashSet<>();
    for (Response r : ImapCommands.run(folder, command)) {
      if (r instanceof IMAPResponse ir && ir.keyEquals("SEARCH")) {
        for (long uid = ir.readLong(); uid > 0; uid = ir.readLong()) {
          uids.add(Uid.of(uid));
        }
      }
    }
    return uids;
  }
}
