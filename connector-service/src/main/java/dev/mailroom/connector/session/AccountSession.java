package dev.mailroom.connector.session;

import dev.mailroom.connector.checkpoint.CheckpointReader;
import dev.mailroom.connector.checkpoint.MailboxState;
import dev.mailroom.connector.imap.ImapConnector;
import dev.mailroom.connector.publish.EventPublisher;
import dev.mailroom.connector.push.PushWatcher;
import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.events.connection.ConnectionEstablished;
import dev.mailroom.events.connection.ConnectionFailed;
import dev.mailroom.events.crypto.SecretBox;
import dev.mailroom.events.model.MailboxPath;
import io.quarkus.logging.Log;
import jakarta.mail.MessagingException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.jboss.logging.MDC;

/**
 * One account's IMAP life on its own virtual thread: restore what was published before, connect,
 * bring every mailbox up to date, then wait for a {@link SessionSignal} (from its {@link
 * PushWatcher}) or, where push does not reach a mailbox, the next STATUS sweep, and sync only what
 * changed. On failure, whatever it is ({@link SessionFailures}): report the category, back off with
 * jitter, reconnect and resume from the states kept in memory.
 */
final class AccountSession implements Runnable {

  private static final int RELIST_EVERY_SWEEPS = 15;

  /**
   * The latest definition; only what the connection does not use changes (see {@link #redefine}).
   */
  private volatile AccountDefined account;

  private final ImapConnector connector;
  private final SecretBox secrets;
  private final EventPublisher publisher;
  private final CheckpointReader checkpoints;
  private final StartTurn turn;
  private final Clock clock;
  private final SessionSettings settings;
  private final MailboxSync mailboxSync;
  private final MailboxList mailboxList;
  private final Backoff backoff;
  private final LinkedBlockingQueue<SessionSignal> signals = new LinkedBlockingQueue<>();

  private final WaitingWork work = new WaitingWork();

  private Map<MailboxPath, MailboxState> states;

  /** Mailboxes whose sync the server refused, so each refusal is logged once, not every sweep. */
  private final Set<MailboxPath> refused = new HashSet<>();

  private volatile boolean stopped;
  private volatile IMAPStore store;
  private volatile PushWatcher watcher;

  /** Servers without CONDSTORE only: the flag prints of this connection's mailboxes. */
  private SweepPlanner planner;

  AccountSession(
      AccountDefined account,
      ImapConnector connector,
      SecretBox secrets,
      EventPublisher publisher,
      CheckpointReader checkpoints, // null for an account that has never published
      Semaphore starts,
      Clock clock,
      SessionSettings settings) {
    this.account = account;
    this.connector = connector;
    this.secrets = secrets;
    this.publisher = publisher;
    this.checkpoints = checkpoints;
    this.turn = new StartTurn(starts, settings.startTurn(), account.accountId().toString());
    this.clock = clock;
    this.settings = settings;
    this.mailboxSync = MailboxSync.of(account.accountId(), publisher, clock, settings);
    this.mailboxList = new MailboxList(account.accountId(), publisher, clock);
    this.backoff =
        new Backoff(settings.backoffInitial(), settings.backoffMax(), ThreadLocalRandom.current());
  }

  /**
   * Ends only when {@link #stop} is called. Whatever else ends a connection, an {@link Error}
   * included, is reported as a failure with its category and followed by a reconnect after a
   * back-off: a session that has stopped working never leaves its account looking connected.
   */
  @Override
  public void run() {
    MDC.put("accountId", account.accountId().toString());
    while (!stopped) {
      try {
        connectAndWatch();
      } catch (Throwable failure) {
        if (!stopped) {
          failed(failure);
        }
      } finally {
        cleanUp();
      }
      if (!stopped) {
        backoff.pause(() -> stopped);
      }
    }
    work.failAll(account.accountId());
    Log.infof("session stopped");
  }

  void stop() {
    stopped = true;
    closeQuietly();
  }

  /** Queues work for this session's thread (see {@link SessionWork}). */
  <T> CompletableFuture<T> submit(SessionWork<T> task) {
    CompletableFuture<T> done = work.add(task);
    signals.add(new SessionSignal.WorkWaiting());
    if (stopped) {
      // the thread may have drained the queue before this work was added
      work.failAll(account.accountId());
    }
    return done;
  }

  /**
   * The account's definition changed in what the session does not use to connect (its display name,
   * say): the session goes on with the new one, without logging in again.
   */
  void redefine(AccountDefined next) {
    if (ConnectionSettings.changed(account, next)) {
      throw new IllegalArgumentException("a change of the connection settings needs a new session");
    }
    account = next;
  }

  /** Returns only when stopped; any failure is thrown. */
  private void connectAndWatch() throws Exception {
    AccountDefined account = this.account;
    // From the accounts topic: password and endpoint come from one definition (CredentialBinding).
    String password = secrets.openDefinition(account);
    long started = System.nanoTime();
    if (states == null) {
      // Once per session: a restart or a move resumes from what is on the mail topic; a new
      // account (no reader) has published nothing yet.
      states =
          checkpoints == null
              ? new HashMap<>()
              : new HashMap<>(checkpoints.restore(account.accountId(), account.createdAt()));
    }
    long restored = System.nanoTime();
    // Login and catch-up take a turn (SessionManager): released once this session watches.
    turn.take();
    long turned = System.nanoTime();
    store = connector.connect(account.imap(), password);
    long loggedIn = System.nanoTime();
    publisher
        .publish(
            new ConnectionEstablished(
                account.accountId(), Capabilities.of(store).all(), clock.instant()))
        .join();
    backoff.reset();
    Log.infof(
        "connected to %s (restore %d ms, wait for a turn %d ms, login %d ms, connected event %d ms)",
        account.imap().host(),
        (restored - started) / 1_000_000,
        (turned - restored) / 1_000_000,
        (loggedIn - turned) / 1_000_000,
        (System.nanoTime() - loggedIn) / 1_000_000);
    watch(store, password);
  }

  /** Never throws: a failure while reporting a failure must not end the session's thread. */
  private void failed(Throwable failure) {
    try {
      turn.end(); // not held through the back-off
      // An interrupt that is not a stop (stop() sets the flag before it interrupts) is consumed:
      // the session goes on as after any other failure.
      Thread.interrupted();
      var classified = SessionFailures.classify(failure);
      if (SessionFailures.stackWorthy(failure)) {
        Log.errorf(failure, "session failed: %s", classified.detail());
      }
      Log.warnf("connection failed: %s (%s)", classified.category(), classified.detail());
      var event =
          new ConnectionFailed(
              account.accountId(), classified.category(), classified.detail(), clock.instant());
      try {
        publisher.publish(event).join();
      } catch (RuntimeException e) {
        // The next failure or connection is published.
        Log.warnf("could not publish the connection failure: %s", e);
      }
    } catch (Throwable reporting) {
      // Out of memory again, say: the back-off and the retry still come.
    }
  }

  private void cleanUp() {
    try {
      mailboxSync.abandonStatuses(); // a first pass cut short: those mailboxes sync again
      turn.end();
      closeQuietly();
    } catch (Throwable ignored) {
      // the connections may be gone with whatever failed
    }
  }

  private void watch(IMAPStore store, String password) throws Exception {
    Capabilities caps = Capabilities.of(store);
    planner = new SweepPlanner(settings, clock, caps);
    Map<MailboxPath, IMAPFolder> folders = MailboxList.list(store);
    mailboxList.reconcile(folders, states);
    mailboxSync.deferStatuses();
    for (IMAPFolder folder : folders.values()) {
      syncFolder(folder, caps);
    }
    mailboxSync.awaitStatuses();
    signals.clear();
    boolean everyMailboxPushed = startWatcher(caps, password);
    turn.end();
    folders = runWork(store, caps, folders); // what was submitted while the session caught up
    Duration sweepEvery =
        everyMailboxPushed ? settings.notifySweepInterval() : settings.pollInterval();
    // The first sweep comes soon whatever the push: it covers what changed while the mailboxes
    // were first synced and the push connection was still being set up.
    long nextSweep = System.nanoTime() + settings.pollInterval().toNanos();
    // The first sweep lists the mailboxes again as well: one created or deleted while the push
    // connection was being set up would otherwise wait for the periodic LIST.
    for (int sweep = 0; !stopped; ) {
      SessionSignal first =
          signals.poll(Math.max(0, nextSweep - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (first != null) {
        var heard = SessionSignal.Heard.drain(first, signals);
        if (heard.pushFailed() != null) {
          throw new PushThread.LostException(heard.pushFailed().cause());
        }
        if (heard.relist()) {
          folders = relist(store, caps);
        }
        for (MailboxPath path : heard.mailboxes()) {
          IMAPFolder folder = folders.get(path);
          if (folder != null) {
            syncFolder(folder, caps);
          } else {
            Log.debugf("push named %s, which the last LIST did not list", path);
          }
        }
        if (heard.work()) {
          folders = runWork(store, caps, folders);
        }
        continue;
      }
      nextSweep = System.nanoTime() + sweepEvery.toNanos();
      // LIST and STATUS run on the store's connection: the mailbox a sync left selected gives it
      // back.
      mailboxSync.release();
      if (sweep++ % RELIST_EVERY_SWEEPS == 0) {
        folders = relist(store, caps);
      }
      SweepPlanner.Sweep plan = planner.plan(folders.values(), states);
      for (IMAPFolder folder : plan.due()) {
        if (plan.printed().contains(MailboxPath.of(folder.getFullName()))) {
          sync(folder, caps);
        } else {
          syncFolder(folder, caps);
        }
      }
    }
  }

  private Map<MailboxPath, IMAPFolder> relist(IMAPStore store, Capabilities caps)
      throws MessagingException {
    mailboxSync.release();
    Map<MailboxPath, IMAPFolder> folders = MailboxList.list(store);
    Set<MailboxPath> touched = mailboxList.reconcile(folders, states);
    for (var entry : folders.entrySet()) {
      if (touched.contains(entry.getKey()) || !states.containsKey(entry.getKey())) {
        syncFolder(entry.getValue(), caps);
      }
    }
    return folders;
  }

  /**
   * Runs every waiting work in the order submitted, each followed by the LIST and syncs it asked
   * for, so its changes are published before the next work runs.
   *
   * @return the mailboxes of the last LIST
   */
  private Map<MailboxPath, IMAPFolder> runWork(
      IMAPStore store, Capabilities caps, Map<MailboxPath, IMAPFolder> folders) throws Exception {
    for (WaitingWork.Pending<?> next; !stopped && (next = work.next()) != null; ) {
      mailboxSync.release();
      var context = new SessionContext(account, store, caps, folders, states);
      Throwable failure = next.runIn(context);
      if (failure instanceof Error error) {
        throw error;
      }
      if (failure != null && !store.isConnected()) {
        throw (Exception) failure; // the connection went with it: reconnect as after any failure
      }
      if (context.relistWanted()) {
        folders = relist(store, caps);
      }
      for (MailboxPath path : context.resyncs()) {
        IMAPFolder folder = folders.get(path);
        if (folder != null) {
          syncFolder(folder, caps);
        }
      }
    }
    return folders;
  }

  /**
   * @return whether the watcher hears every mailbox (NOTIFY) rather than INBOX alone
   */
  private boolean startWatcher(Capabilities caps, String password) throws Exception {
    if (!caps.idle()) {
      return false;
    }
    IMAPStore pushStore = connector.connect(account.imap(), password);
    PushWatcher w =
        new PushWatcher(
            pushStore,
            caps.notifyCommand(),
            settings.idleKeepAlive(),
            signal -> signals.add(SessionSignal.fromPush(signal)));
    watcher = w;
    PushThread.start(
        w,
        account.accountId(),
        e -> {
          if (watcher == w) { // not one this session already let go
            signals.add(new SessionSignal.PushFailed(e));
          }
        });
    return caps.notifyCommand();
  }

  /** Syncs a mailbox, after its flag print where it has one (FlagProbe's invariant). */
  private void syncFolder(IMAPFolder folder, Capabilities caps) throws MessagingException {
    planner.printFlags(folder, states);
    sync(folder, caps);
  }

  private void sync(IMAPFolder folder, Capabilities caps) throws MessagingException {
    MailboxPath path = MailboxPath.of(folder.getFullName());
    MDC.put("mailbox", path.value());
    long started = System.nanoTime();
    try {
      // The state is updated in place; a new one (a mailbox first seen, or reset) is stored as
      // soon as its sync starts, so a sync that fails keeps what it learned.
      mailboxSync.sync(folder, states.get(path), caps.changesPath(), s -> states.put(path, s));
      Log.debugf("synced in %d ms", (System.nanoTime() - started) / 1_000_000);
      refused.remove(path);
    } catch (MessagingException e) {
      if (!SessionFailures.mailboxOnly(e)) {
        throw e;
      }
      // A NO about one mailbox (deleted or renamed under us, RFC 9051 §7.1.2, or a listed name in
      // invalid modified UTF-7 that does not survive decoding and encoding again, RFC 3501
      // §5.1.3) is that mailbox's problem, not the account's: the next sweep or LIST decides
      // what became of it.
      if (refused.add(path)) {
        Log.warnf("%s: sync refused by the server, retried later: %s", path, e.getMessage());
      } else {
        Log.debugf("%s: sync refused again: %s", path, e.getMessage());
      }
    } finally {
      MDC.remove("mailbox");
    }
  }

  private void closeQuietly() {
    PushWatcher w = watcher;
    watcher = null;
    if (w != null) {
      w.stop();
    }
    IMAPStore s = store;
    if (s != null) {
      try {
        s.close();
      } catch (MessagingException | RuntimeException ignored) {
        // closing a broken connection may fail; nothing more to do
      }
    }
  }
}
