package dev.mailroom.connector.session;

import dev.mailroom.connector.imap.ImapCommands;
import dev.mailroom.connector.imap.MessageMapper;
import dev.mailroom.events.model.MailboxPath;
import jakarta.mail.Flags;
import jakarta.mail.MessagingException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.protocol.FLAGS;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;
import org.eclipse.angus.mail.imap.protocol.MailboxInfo;
import org.eclipse.angus.mail.imap.protocol.UID;

/**
 * Tells, cheaply, whether any flag changed in a mailbox of a server without CONDSTORE (GreenMail,
 * Outlook.com and many hosted servers). There STATUS moves for nothing but {@code \Seen} (its
 * UNSEEN count, RFC 9051 §6.3.11), and the only way to learn the flags is to ask for them.
 *
 * <p>A print is a hash of which messages carry which flag: {@code EXAMINE}, then one {@code UID
 * SEARCH} per flag ({@code UNSEEN} or {@code SEEN}, whichever the STATUS counts say is smaller;
 * {@code FLAGGED}, {@code ANSWERED}, {@code DELETED}, {@code DRAFT}; up to {@link #KEYWORDS} of the
 * keywords the EXAMINE's FLAGS reply lists), then {@code UNSELECT} or {@code CLOSE} (which expunges
 * nothing after an EXAMINE, RFC 3501 §6.4.2). The answers list only the messages that carry a flag:
 * ~1 KB for a 10,000-message folder with a few hundred such messages, where {@code UID FETCH 1:*
 * (FLAGS)} answers ~40 bytes for every message (~400 KB). A folder of at most {@link #SMALL}
 * messages is printed from that fetch instead: fewer commands for the same bytes.
 *
 * <p>The invariant that makes a print enough: every sync of a probed mailbox comes after a print of
 * it. A change after the print is either seen by that sync or moves the next print.
 */
final class FlagProbe {

  /** Keywords probed per mailbox; changes of any others wait for the periodic full scan. */
  static final int KEYWORDS = 8;

  /** Up to this many messages, the print is taken from every message's flags. */
  static final int SMALL = 40;

  private final Map<MailboxPath, Long> prints = new HashMap<>();
  private final long everyNanos;
  private long next;

  /**
   * @param every how often each mailbox is probed. INBOX too, though IDLE watches it: RFC 2177 lets
   *     a server leave flag changes out of IDLE, and GreenMail 2.1 does (its IdleCommand reports
   *     EXISTS and EXPUNGE, and ignores flag updates).
   */
  FlagProbe(java.time.Duration every) {
    this.everyNanos = every.toNanos();
    this.next = System.nanoTime() + everyNanos;
  }

  /** Whether a round of probes is due now; if so, the next one is scheduled. */
  boolean due() {
    long now = System.nanoTime();
    if (now < next) {
      return false;
    }
    next = now + everyNanos;
    return true;
  }

  /**
   * Takes the mailbox's print.
   *
   * @param messages and {@code unseen}: the counts of a STATUS just asked, to choose the cheaper
   *     side of {@code \Seen}; -1 when unknown
   * @return whether it differs from the last print (a first print differs)
   */
  boolean changed(IMAPFolder folder, MailboxPath path, long messages, long unseen)
      throws MessagingException {
    long print = print(folder, messages, unseen);
    Long before = prints.put(path, print);
    return before == null || before != print;
  }

  /** Forgets a mailbox that is gone, or whose print could not be taken. */
  void forget(MailboxPath path) {
    prints.remove(path);
  }

  private static long print(IMAPFolder folder, long messages, long unseen)
      throws MessagingException {
    String name = folder.getFullName();
    return (Long)
        folder.doCommand(
            protocol -> {
              MailboxInfo info = protocol.examine(name);
              try {
                Hash hash = new Hash().add(info.uidvalidity);
                if (info.total == 0) {
                  return hash.value();
                }
                if (info.total <= SMALL) {
                  for (Response r : ImapCommands.run(protocol, "UID FETCH 1:* (UID FLAGS)", true)) {
                    if (r instanceof FetchResponse f && f.getItem(UID.class) != null) {
                      hash.add(f.getItem(UID.class).uid).add(flagText(f));
                    }
                  }
                  return hash.value();
                }
                boolean fewUnseen = unseen < 0 || messages < 0 || unseen * 2 <= messages;
                List<String> keys =
                    new ArrayList<>(
                        List.of(
                            fewUnseen ? "UNSEEN" : "SEEN",
                            "FLAGGED",
                            "ANSWERED",
                            "DELETED",
                            "DRAFT"));
                String[] keywords =
                    info.availableFlags == null
                        ? new String[0]
                        : info.availableFlags.getUserFlags();
                Arrays.sort(keywords);
                for (int i = 0; i < Math.min(KEYWORDS, keywords.length); i++) {
                  if (isAtom(keywords[i])) {
                    keys.add("KEYWORD " + keywords[i]);
                  }
                }
                for (String key : keys) {
                  hash.add(key);
                  for (Response r : ImapCommands.run(protocol, "UID SEARCH " + key, true)) {
                    if (r instanceof IMAPResponse ir && ir.keyEquals("SEARCH")) {
                      hash.add(sortedUids(ir));
                    }
                  }
                }
                return hash.value();
              } finally {
                if (protocol.hasCapability("UNSELECT")) {
                  protocol.unselect();
                } else {
                  protocol.close();
                }
              }
            });
  }

  private static String flagText(FetchResponse f) {
    Flags flags = f.getItem(FLAGS.class);
    if (flags == null) {
      return "";
    }
    List<String> names = new ArrayList<>(MessageMapper.flags(flags));
    names.sort(null);
    return String.join(" ", names);
  }

  /** Servers list the UIDs of a SEARCH in ascending order as a rule, but need not. */
  private static long[] sortedUids(IMAPResponse search) {
    long[] uids = new long[16];
    int n = 0;
    for (long uid = search.readLong(); uid > 0; uid = search.readLong()) {
      if (n == uids.length) {
        uids = Arrays.copyOf(uids, n * 2);
      }
      uids[n++] = uid;
    }
    uids = Arrays.copyOf(uids, n);
    Arrays.sort(uids);
    return uids;
  }

  /** A keyword goes into the command as an atom (RFC 9051 §9 {@code flag-keyword}). */
  private static boolean isAtom(String keyword) {
    return !keyword.isEmpty()
        && keyword.chars().allMatch(c -> c > 0x20 && c < 0x7f && "(){%*\"\\]".indexOf(c) < 0);
  }

  /** 64-bit FNV-1a: two different sets of flags give the same print with odds of 2^-64. */
  private static final class Hash {
    private long h = 0xcbf29ce484222325L;

    Hash add(long v) {
      for (int i = 0; i < 8; i++) {
        h = (h ^ ((v >>> (8 * i)) & 0xff)) * 0x100000001b3L;
      }
      return this;
    }

    Hash add(long[] values) {
      add(values.length);
      for (long v : values) {
        add(v);
      }
      return this;
    }

    Hash add(String s) {
      add(s.length());
      for (int i = 0; i < s.length(); i++) {
        add(s.charAt(i));
      }
      return this;
    }

    long value() {
      return h;
    }
  }
}
