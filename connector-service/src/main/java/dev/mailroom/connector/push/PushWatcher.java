package dev.mailroom.connector.push;

import dev.mailroom.connector.imap.ImapCommands;
import io.quarkus.logging.Log;
import jakarta.mail.MessagingException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.eclipse.angus.mail.iap.BadCommandException;
import org.eclipse.angus.mail.iap.CommandFailedException;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;

/**
 * Listens on a connection of its own and says which mailbox changed; the session's sync connection
 * does the fetching. With NOTIFY (RFC 5465) one connection hears every mailbox of the account;
 * without it, IDLE (RFC 2177) on INBOX hears INBOX and the session sweeps the others.
 *
 * <p>The IDLE is ended with DONE and issued again every {@code keepAlive}: RFC 2177 §3 asks for it
 * before 29 minutes, NAT boxes forget a silent flow after about 350 s, and a connection that died
 * silently shows itself when DONE gets no answer within the read timeout.
 */
public final class PushWatcher implements Runnable {

  /** A signal: a mailbox to look at, {@link #RELIST}, or {@link #FAILED} (reconnect). */
  public static final String RELIST = "\u0000relist";

  public static final String FAILED = "\u0000failed";

  /**
   * Every personal mailbox, INBOX included, with nothing selected. Dovecot 2.3 sends a STATUS ~0.5
   * s after a change. RFC 5465 §5.1: with the STATUS indicator the server first answers with a
   * STATUS of every mailbox, which {@link #rearm} compares with what it knew.
   */
  private static final String NOTIFY_SET =
      "NOTIFY SET STATUS" + " (personal (MessageNew MessageExpunge FlagChange MailboxName))";

  private final IMAPStore store;
  private final boolean notify;
  private final Duration keepAlive;
  private final Consumer<String> signals;
  private final Object lock = new Object();
  private volatile boolean stopped;
  private volatile IMAPProtocol protocol;
  private boolean idling;
  private boolean doneSent;
  private long round;

  /** NOTIFY only: a change was heard, so the NOTIFY is set again once this IDLE round ends. */
  private volatile boolean rearmDue;

  /**
   * NOTIFY only: the server answered NOTIFY NONE with NO or BAD, so the NOTIFY is never set again.
   */
  private boolean rearmRefused;

  /**
   * NOTIFY only: each mailbox's last STATUS, heard or answered to {@link #NOTIFY_SET}, by wire
   * name.
   */
  private final Map<String, List<Long>> known = new HashMap<>();

  public PushWatcher(
      IMAPStore store, boolean notify, Duration keepAlive, Consumer<String> signals) {
    this.store = store;
    this.notify = notify;
    this.keepAlive = keepAlive;
    this.signals = signals;
  }

  @Override
  public void run() {
    try {
      IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
      // A closed folder's doCommand runs on the store's connection, which this watcher alone uses.
      inbox.doCommand(
          p -> {
            protocol = p;
            watch(p);
            return null;
          });
    } catch (MessagingException | RuntimeException e) {
      if (!stopped) {
        Log.warnf("push connection lost: %s", e.getMessage());
        signals.accept(FAILED);
      }
    } finally {
      closeStore();
    }
  }

  /**
   * Ends the IDLE with DONE and returns at once; the watcher's own thread closes the connection
   * when the server answers (or its read times out), so a dead connection never blocks a stop.
   */
  public void stop() {
    stopped = true;
    IMAPProtocol p = protocol;
    if (p != null) {
      endIdle(p, -1);
    }
  }

  /**
   * Sends DONE, once per round, when an IDLE is running ({@code myRound} -1: whatever the round).
   */
  private void endIdle(IMAPProtocol protocol, long myRound) {
    synchronized (lock) {
      if (idling && !doneSent && (myRound < 0 || round == myRound)) {
        doneSent = true;
        protocol.idleAbort();
      }
    }
  }

  private void closeStore() {
    try {
      store.close();
    } catch (MessagingException | RuntimeException ignored) {
      // the connection may already be gone
    }
  }

  private void watch(IMAPProtocol protocol) throws ProtocolException {
    if (!notify) {
      ImapCommands.run(
          protocol,
          protocol.hasCapability("CONDSTORE") ? "EXAMINE INBOX (CONDSTORE)" : "EXAMINE INBOX",
          false);
    } else {
      // The answer is every mailbox's STATUS; the session has just synced them, so they are the
      // baseline, not signals.
      for (Response r : ImapCommands.run(protocol, NOTIFY_SET, false)) {
        StatusReply.of(r).ifPresent(s -> known.put(s.wire(), s.facts()));
      }
    }
    // Every untagged reply inside an IDLE round passes this handler.
    protocol.addResponseHandler(this::signal);
    Log.infof("push ready (%s)", notify ? "NOTIFY, every mailbox" : "IDLE, INBOX");
    while (!stopped) {
      if (rearmDue) {
        rearm(protocol);
      }
      protocol.idleStart();
      long myRound;
      synchronized (lock) {
        idling = true;
        doneSent = false;
        myRound = ++round;
      }
      if (rearmDue) {
        endIdle(protocol, myRound); // a change was heard while the IDLE was being started
      }
      Thread.ofVirtual().name("idle-keepalive").start(() -> endIdleLater(protocol, myRound));
      while (true) {
        Response r = protocol.readIdleResponse();
        if (r == null) {
          break;
        }
        boolean more;
        try {
          more = protocol.processIdleResponse(r);
        } finally {
          if (r.isTagged() || r.isBYE()) {
            synchronized (lock) {
              idling = false;
            }
          }
        }
        if (!more) {
          break;
        }
      }
    }
  }

  /**
   * Sets the NOTIFY again after a change was heard. Dovecot 2.3 watches its mailbox list index log
   * (and INBOX's index log) with inotify on the file it opened at NOTIFY SET. When a change rotates
   * that log (it does once the log is a few KB and over 5 minutes old) the watch stays on the old
   * file, and every later change is heard only at the next mailbox_idle_check_interval (30 s by
   * default): a NOTIFY set anew watches the new file. {@code NOTIFY NONE} comes first, because a
   * NOTIFY SET over a running one is deaf to the next change (its watch is on the same file as the
   * old one's, which removes it on the way out). A change that comes between the two commands, or
   * that the old NOTIFY had not yet reported, shows in the STATUS answer: every mailbox whose
   * STATUS differs from the last one known is signalled (bench/connector/README.md).
   */
  private void rearm(IMAPProtocol protocol) throws ProtocolException {
    rearmDue = false;
    long start = System.nanoTime();
    try {
      for (Response r : ImapCommands.run(protocol, "NOTIFY NONE", false)) {
        signal(r);
      }
    } catch (CommandFailedException | BadCommandException e) {
      // The NOTIFY in place still stands; without NONE a new one could be deafer (see above).
      rearmRefused = true;
      Log.warnf("the server refused NOTIFY NONE (%s): NOTIFY is kept as first set", e.getMessage());
      return;
    }
    int unheard = 0;
    for (Response r : ImapCommands.run(protocol, NOTIFY_SET, false)) {
      var s = StatusReply.of(r);
      if (s.isEmpty()) {
        signal(r);
        continue;
      }
      if (!s.get().facts().equals(known.put(s.get().wire(), s.get().facts()))) {
        unheard++;
        s.get().names().forEach(signals);
      }
    }
    rearmDue = false; // what these answers said is signalled already
    Log.debugf(
        "NOTIFY set again in %d ms, %d mailbox(es) changed unheard",
        (System.nanoTime() - start) / 1_000_000, unheard);
  }

  /** Sends DONE when the round is still the same after {@code keepAlive}. */
  private void endIdleLater(IMAPProtocol protocol, long myRound) {
    try {
      Thread.sleep(keepAlive);
    } catch (InterruptedException e) {
      return;
    }
    if (!stopped) {
      endIdle(protocol, myRound);
    }
  }

  private void signal(Response r) {
    if (!(r instanceof IMAPResponse ir) || !r.isUnTagged()) {
      return;
    }
    Log.debugf("heard: %s", r);
    List<String> mailboxes = List.of();
    if (ir.keyEquals("STATUS")) {
      var s = StatusReply.of(r);
      if (s.isPresent()) {
        // Known by the name as sent, which both the NOTIFY SET answer and the notifications use;
        // signalled by the names it may stand for (see StatusReply).
        mailboxes = s.get().names();
        // A notification carries the items that changed (Dovecot: often HIGHESTMODSEQ alone).
        known.merge(s.get().wire(), s.get().facts(), PushWatcher::overlay);
      } else {
        Log.debugf("unreadable STATUS: %s", r);
      }
    } else if (ir.keyEquals("LIST")) {
      // RFC 5465 §5.4 MailboxName: a mailbox was created, deleted or renamed. Dovecot 2.3 names
      // it unencoded here too (StatusReply), so the LIST command that follows finds out which.
      mailboxes = List.of(RELIST);
    } else if (ir.keyEquals("EXISTS")
        || ir.keyEquals("EXPUNGE")
        || ir.keyEquals("FETCH")
        || ir.keyEquals("VANISHED")) {
      mailboxes = List.of("INBOX");
    }
    if (mailboxes.isEmpty()) {
      return;
    }
    mailboxes.forEach(signals);
    if (notify && !rearmRefused) {
      rearmDue = true;
      IMAPProtocol p = protocol;
      if (p != null) {
        endIdle(p, -1); // no-op outside an IDLE round: the loop sees rearmDue before the next one
      }
    }
  }

  /** The items {@code newer} carries, the others from {@code older}. */
  private static List<Long> overlay(List<Long> older, List<Long> newer) {
    Long[] merged = new Long[newer.size()];
    for (int i = 0; i < merged.length; i++) {
      merged[i] = newer.get(i) != -1 ? newer.get(i) : older.get(i);
    }
    return List.of(merged);
  }
}
