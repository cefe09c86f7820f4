package dev.mailroom.connector.push;

import io.quarkus.logging.Log;
import jakarta.mail.MessagingException;
import java.time.Duration;
import java.util.function.Consumer;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;
import org.eclipse.angus.mail.imap.protocol.Status;

/**
 * Listens on a connection of its own and says which mailbox changed; the session's sync
 * connection does the fetching. With NOTIFY (RFC 5465) one connection hears every mailbox of the
 * account; without it, IDLE (RFC 2177) on INBOX hears INBOX and the session sweeps the others.
 *
 * <p>The IDLE is ended with DONE and issued again every {@code keepAlive}: RFC 2177 §3 asks for
 * it before 29 minutes, NAT boxes forget a silent flow after about 350 s, and a connection that
 * died silently shows itself when DONE gets no answer within the read timeout.
 */
public final class PushWatcher implements Runnable {

  /** A signal: a mailbox to look at, {@link #RELIST}, or {@link #FAILED} (reconnect). */
  public static final String RELIST = "\u0000relist";

  public static final String FAILED = "\u0000failed";

  /**
   * Every personal mailbox, INBOX included, with nothing selected. Dovecot 2.3 sends a STATUS
   * ~0.45 s after a change (~0.6 s for an INBOX of 100,000), but while any connection of the
   * user holds a mailbox selected it falls back, after a few changes, to its next idle check
   * (mailbox_idle_check_interval: 5 s on the stack, 30 s by default). This connection at least
   * is not one of those (bench/connector/README.md).
   */
  private static final String NOTIFY_SET = "NOTIFY SET STATUS"
      + " (personal (MessageNew MessageExpunge FlagChange MailboxName))";

  private final IMAPStore store;
  private final boolean notify;
  private final Duration keepAlive;
  private final Consumer<String> signals;
  private final Object lock = new Object();
  private volatile boolean stopped;
  private volatile IMAPProtocol protocol;
  private boolean idling;
  private long round;

  public PushWatcher(IMAPStore store, boolean notify, Duration keepAlive, Consumer<String> signals) {
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
      inbox.doCommand(p -> {
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
    synchronized (lock) {
      IMAPProtocol p = protocol;
      if (idling && p != null) {
        p.idleAbort();
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
      run(protocol, protocol.hasCapability("CONDSTORE") ? "EXAMINE INBOX (CONDSTORE)" : "EXAMINE INBOX");
    } else {
      // RFC 5465 §5.1: NOTIFY SET STATUS first answers with a STATUS of every mailbox; the session
      // has just synced them, so they are not signals.
      run(protocol, NOTIFY_SET);
    }
    // Every untagged reply from here on, inside or between IDLE rounds, passes this handler.
    protocol.addResponseHandler(this::signal);
    Log.infof("push ready (%s)", notify ? "NOTIFY, every mailbox" : "IDLE, INBOX");
    while (!stopped) {
      protocol.idleStart();
      long myRound;
      synchronized (lock) {
        idling = true;
        myRound = ++round;
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

  /** Sends DONE when the round is still the same after {@code keepAlive}. */
  private void endIdleLater(IMAPProtocol protocol, long myRound) {
    try {
      Thread.sleep(keepAlive);
    } catch (InterruptedException e) {
      return;
    }
    synchronized (lock) {
      if (idling && round == myRound && !stopped) {
        protocol.idleAbort();
      }
    }
  }

  private void signal(Response r) {
    if (!(r instanceof IMAPResponse ir) || !r.isUnTagged()) {
      return;
    }
    Log.debugf("heard: %s", r);
    if (ir.keyEquals("STATUS")) {
      try {
        signals.accept(new Status(new Response(r)).mbox);
      } catch (Exception e) {
        Log.debugf("unreadable STATUS notification: %s", e.getMessage());
      }
    } else if (ir.keyEquals("LIST")) {
      // RFC 5465 §5.4 MailboxName: a mailbox was created, deleted or renamed.
      signals.accept(RELIST);
    } else if (ir.keyEquals("EXISTS") || ir.keyEquals("EXPUNGE") || ir.keyEquals("FETCH")
        || ir.keyEquals("VANISHED")) {
      signals.accept("INBOX");
    }
  }

  private static void run(IMAPProtocol protocol, String command) throws ProtocolException {
    Response[] responses = protocol.command(command, null);
    protocol.handleResult(responses[responses.length - 1]);
  }
}
