package dev.mailroom.connector.imap;

import jakarta.mail.MessagingException;
import java.util.Arrays;
import org.eclipse.angus.mail.iap.Argument;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;
import org.eclipse.angus.mail.imap.protocol.UIDSet;

/** IMAP commands Angus has no method for, run the way its own are. */
public final class ImapCommands {

  private ImapCommands() {}

  /**
   * Runs a command on the folder's own connection; NO, BAD and BYE become exceptions. Every reply
   * but FETCH also goes to Angus's handlers, as its own commands do: an EXISTS, EXPUNGE or VANISHED
   * that the server sends along must reach the open folder, or its count and message numbers go
   * stale. The caller gets copies to read, since a reply is read only once.
   *
   * <p>FETCH replies are kept from the folder on purpose. For each one, {@code
   * IMAPFolder.processFetchResponse} creates the {@code IMAPMessage} of its sequence number and
   * enters it in the folder's UID table, and both live as long as the selection: a first sync or a
   * flag scan of a 300,000-message mailbox left 300,000 message objects behind (with the headers
   * and structure of every message fetched through Angus's own {@code fetch}). The connector reads
   * every FETCH it asks for itself, by UID, and never uses Angus's messages.
   */
  public static Response[] run(IMAPFolder folder, String command) throws MessagingException {
    return (Response[]) folder.doCommand(protocol -> run(protocol, command, true));
  }

  /**
   * Runs a command on a connection a caller already holds (inside {@code doCommand}, or a
   * connection of its own such as the push watcher's): NO, BAD and BYE become exceptions.
   *
   * @param toHandlers whether the replies but FETCH also go to the connection's handlers, as
   *     Angus's own commands' do (see {@link #run(IMAPFolder, String)}); the caller reads copies
   *     then
   */
  public static Response[] run(IMAPProtocol protocol, String command, boolean toHandlers)
      throws ProtocolException {
    return run(protocol, command, null, toHandlers);
  }

  /**
   * Runs a command whose arguments carry values from outside (a search's words): Angus writes each
   * string of {@code args} as a quoted string or a literal as its bytes need (RFC 9051 §4.3), so no
   * value is ever spliced into the command's text. Replies as {@link #run(IMAPFolder, String)}.
   */
  public static Response[] run(IMAPFolder folder, String command, Argument args)
      throws MessagingException {
    return (Response[]) folder.doCommand(protocol -> run(protocol, command, args, true));
  }

  private static Response[] run(
      IMAPProtocol protocol, String command, Argument args, boolean toHandlers)
      throws ProtocolException {
    Response[] responses = protocol.command(command, args);
    Response result = responses[responses.length - 1];
    if (toHandlers) {
      Response[] copies = new Response[responses.length];
      int forHandlers = 0;
      for (int i = 0; i < responses.length; i++) {
        Response r = responses[i];
        copies[i] =
            r instanceof FetchResponse
                ? r // its items are parsed already
                : r instanceof IMAPResponse ir ? new IMAPResponse(ir) : new Response(r);
        if (!(r instanceof FetchResponse)) {
          responses[forHandlers++] = r;
        }
      }
      protocol.notifyResponseHandlers(Arrays.copyOf(responses, forHandlers));
      responses = copies;
    }
    protocol.handleResult(result);
    return responses;
  }

  /**
   * The UIDs of the selected mailbox from {@code fromUid} up, ascending: {@code UID SEARCH RETURN
   * (ALL) UID n:*} where the server has ESEARCH (RFC 4731: one compact sequence set, kept as its
   * runs: a few bytes for a mailbox without holes), else {@code UID SEARCH UID n:*}.
   */
  public static UidList uids(IMAPFolder folder, long fromUid, boolean esearch)
      throws MessagingException {
    String range = fromUid + ":*";
    if (esearch) {
      for (Response r : run(folder, "UID SEARCH RETURN (ALL) UID " + range)) {
        if (r instanceof IMAPResponse ir && ir.keyEquals("ESEARCH")) {
          // * ESEARCH (TAG "A5") UID ALL 1:3,5 ; without matches there is no ALL (RFC 4731 §3.1).
          String line = ir.toString();
          int all = line.indexOf(" ALL ");
          if (all >= 0) {
            return from(sequenceSet(line.substring(all + 5).strip().split("\\s+")[0]), fromUid);
          }
        }
      }
      return UidList.of();
    }
    long[] out = new long[64];
    int n = 0;
    for (Response r : run(folder, "UID SEARCH UID " + range)) {
      if (r instanceof IMAPResponse ir && ir.keyEquals("SEARCH")) {
        for (long uid = ir.readLong(); uid > 0; uid = ir.readLong()) {
          if (n == out.length) {
            out = Arrays.copyOf(out, n * 2);
          }
          out[n++] = uid;
        }
      }
    }
    return from(ascending(Arrays.copyOf(out, n)), fromUid);
  }

  /**
   * A sequence set of UIDs (RFC 9051 §9) as a list, range by range where it ascends (as servers
   * send it), else UID by UID, sorted.
   */
  static UidList sequenceSet(String set) {
    String[] parts = set.split(",");
    long[] firsts = new long[parts.length];
    long[] lasts = new long[parts.length];
    boolean ordered = true;
    long count = 0;
    for (int i = 0; i < parts.length; i++) {
      int colon = parts[i].indexOf(':');
      long a = Long.parseLong(colon < 0 ? parts[i] : parts[i].substring(0, colon));
      long b = colon < 0 ? a : Long.parseLong(parts[i].substring(colon + 1));
      firsts[i] = Math.min(a, b);
      lasts[i] = Math.max(a, b);
      ordered &= i == 0 || firsts[i] > lasts[i - 1];
      count += lasts[i] - firsts[i] + 1;
    }
    if (ordered) {
      UidList.Builder runs = new UidList.Builder();
      for (int i = 0; i < parts.length; i++) {
        runs.addRange(firsts[i], lasts[i]);
      }
      return runs.build();
    }
    long[] uids = new long[Math.toIntExact(count)];
    int n = 0;
    for (int i = 0; i < parts.length; i++) {
      for (long uid = firsts[i]; uid <= lasts[i]; uid++) {
        uids[n++] = uid;
      }
    }
    return ascending(uids);
  }

  /** The UIDs given, sorted and without repeats. */
  private static UidList ascending(long[] uids) {
    Arrays.sort(uids);
    UidList.Builder out = new UidList.Builder();
    for (int i = 0; i < uids.length; i++) {
      if (i == 0 || uids[i] != uids[i - 1]) {
        out.add(uids[i]);
      }
    }
    return out.build();
  }

  /**
   * "n:*" also names the last message when n is above every UID (RFC 9051 §6.4.9). The list itself
   * when nothing is below n (the usual case: a mailbox's list is not copied).
   */
  private static UidList from(UidList uids, long fromUid) {
    if (uids.isEmpty() || uids.get(0) >= fromUid) {
      return uids;
    }
    return uids.filter(u -> u >= fromUid);
  }

  /** Whether the selected mailbox holds a message with this UID: {@code UID SEARCH UID n}. */
  public static boolean holds(IMAPFolder folder, long uid) throws MessagingException {
    for (Response r : run(folder, "UID SEARCH UID " + uid)) {
      if (r instanceof IMAPResponse ir && ir.keyEquals("SEARCH")) {
        for (long found = ir.readLong(); found > 0; found = ir.readLong()) {
          if (found == uid) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** A UID set (RFC 9051 §9 sequence-set) for {@code uids[from, to)}, ascending, runs as ranges. */
  public static String uidSet(long[] uids, int from, int to) {
    StringBuilder out = new StringBuilder();
    for (int i = from; i < to; ) {
      int j = i;
      while (j + 1 < to && uids[j + 1] == uids[j] + 1) {
        j++;
      }
      out.append(out.isEmpty() ? "" : ",").append(uids[i]);
      if (j > i) {
        out.append(':').append(uids[j]);
      }
      i = j + 1;
    }
    return out.toString();
  }

  /**
   * A {@code VANISHED} reply (RFC 7162 §3.2.10): {@code earlier} for expunges before this selection
   * ({@code VANISHED (EARLIER)}), else expunges while selected. Read from a copy, so the reply
   * itself stays unread for whoever reads it next.
   */
  public record Vanished(boolean earlier, long[] uids) {

    public static Vanished of(IMAPResponse reply) {
      IMAPResponse read = new IMAPResponse(reply);
      boolean earlier = read.readAtomStringList() != null;
      return new Vanished(earlier, UIDSet.toArray(UIDSet.parseUIDSets(read.readAtom())));
    }
  }
}
