package dev.mailroom.connector.session;

import dev.mailroom.connector.imap.FailureClassifier;
import dev.mailroom.connector.imap.ImapConnector;
import dev.mailroom.connector.publish.EventPublisher;
import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.events.connection.ConnectionEstablished;
import dev.mailroom.events.connection.ConnectionFailed;
import dev.mailroom.events.connection.FailureCategory;
import dev.mailroom.events.crypto.SecretBox;
import io.quarkus.logging.Log;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.imap.protocol.Status;
import org.jboss.logging.MDC;

/**
 * One account's IMAP life on its own virtual thread: connect, sync every mailbox, then watch every
 * mailbox with a cheap STATUS sweep and fetch only what changed; on failure, report the category
 * and reconnect after a jittered backoff. Checkpoints survive reconnects within this instance.
 */
final class AccountSession implements Runnable {

  private static final int RELIST_EVERY_SWEEPS = 15;

  private final AccountDefined account;
  private final ImapConnector connector;
  private final SecretBox secrets;
  private final EventPublisher publisher;
  private final Clock clock;
  private final Duration pollInterval;
  private final MailboxSync mailboxSync;
  private final Backoff backoff;
  private final Map<String, MailboxCheckpoint> checkpoints = new HashMap<>();
  private volatile boolean stopped;
  private volatile IMAPStore store;

  AccountSession(AccountDefined account, ImapConnector connector, SecretBox secrets,
      EventPublisher publisher, Clock clock, SessionSettings settings) {
    this.account = account;
    this.connector = connector;
    this.secrets = secrets;
    this.publisher = publisher;
    this.clock = clock;
    this.pollInterval = settings.pollInterval();
    this.mailboxSync = new MailboxSync(account.accountId(), publisher, clock, settings.fetchBatch());
    this.backoff = new Backoff(settings.backoffInitial(), settings.backoffMax(), ThreadLocalRandom.current());
  }

  @Override
  public void run() {
    MDC.put("accountId", account.accountId().toString());
    while (!stopped) {
      String password;
      try {
        password = secrets.open(account.password(), account.accountId().toString());
      } catch (SecretBox.SecretException e) {
        fail(FailureCategory.CREDENTIALS_UNAVAILABLE, e.getMessage());
        return; // no retry opens a secret this instance has no key for
      }
      try {
        store = connector.connect(account.imap(), password);
        publisher.publish(new ConnectionEstablished(account.accountId(), capabilities(store), clock.instant())).join();
        backoff.reset();
        Log.infof("connected to %s", account.imap().host());
        watch(store);
      } catch (Exception e) {
        if (stopped) {
          break;
        }
        var classified = FailureClassifier.classify(e);
        fail(classified.category(), classified.detail());
        sleep(backoff.nextDelay());
      } finally {
        closeQuietly();
      }
    }
    Log.infof("session stopped");
  }

  void stop() {
    stopped = true;
    closeQuietly();
  }

  private void watch(IMAPStore store) throws MessagingException, InterruptedException {
    boolean condstore = store.hasCapability("CONDSTORE");
    List<IMAPFolder> folders = selectableFolders(store);
    for (IMAPFolder folder : folders) {
      syncFolder(folder, condstore);
    }
    for (int sweep = 1; !stopped; sweep++) {
      Thread.sleep(pollInterval);
      if (sweep % RELIST_EVERY_SWEEPS == 0) {
        folders = selectableFolders(store);
      }
      for (IMAPFolder folder : folders) {
        MailboxCheckpoint known = checkpoints.get(folder.getFullName());
        if (known == null || changed(status(folder, condstore), known)) {
          syncFolder(folder, condstore);
        }
      }
    }
  }

  private void syncFolder(IMAPFolder folder, boolean condstore) throws MessagingException {
    MDC.put("mailbox", folder.getFullName());
    try {
      checkpoints.put(folder.getFullName(), mailboxSync.sync(folder, checkpoints.get(folder.getFullName()), condstore));
    } finally {
      MDC.remove("mailbox");
    }
  }

  /** A STATUS is the cheapest question that tells whether a mailbox changed at all. */
  private static Status status(IMAPFolder folder, boolean condstore) throws MessagingException {
    String[] items = condstore
        ? new String[] {"MESSAGES", "UIDNEXT", "UIDVALIDITY", "UNSEEN", "HIGHESTMODSEQ"}
        : new String[] {"MESSAGES", "UIDNEXT", "UIDVALIDITY", "UNSEEN"};
    return (Status) folder.doCommand(protocol -> protocol.status(folder.getFullName(), items));
  }

  private static boolean changed(Status now, MailboxCheckpoint known) {
    return now.uidvalidity != known.uidValidity() || now.uidnext != known.uidNext()
        || now.total != known.messages() || now.unseen != known.unseen()
        || (now.highestmodseq > 0 && now.highestmodseq != known.highestModSeq());
  }

  private static List<IMAPFolder> selectableFolders(IMAPStore store) throws MessagingException {
    List<IMAPFolder> out = new ArrayList<>();
    for (Folder f : store.getDefaultFolder().list("*")) {
      if ((f.getType() & Folder.HOLDS_MESSAGES) != 0) {
        out.add((IMAPFolder) f);
      }
    }
    // INBOX first: it is where a person looks first.
    out.sort((a, b) -> Boolean.compare(!"INBOX".equalsIgnoreCase(a.getFullName()), !"INBOX".equalsIgnoreCase(b.getFullName())));
    return out;
  }

  @SuppressWarnings("unchecked")
  private static List<String> capabilities(IMAPStore store) throws MessagingException {
    IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
    Map<String, String> caps = (Map<String, String>) inbox.doCommand(protocol -> protocol.getCapabilities());
    return caps.values().stream().sorted().toList();
  }

  private void fail(FailureCategory category, String detail) {
    Log.warnf("connection failed: %s (%s)", category, detail);
    try {
      publisher.publish(new ConnectionFailed(account.accountId(), category, detail, clock.instant())).join();
    } catch (RuntimeException e) {
      Log.warnf("could not publish the connection failure: %s", e.getMessage());
    }
  }

  private void closeQuietly() {
    IMAPStore s = store;
    if (s != null) {
      try {
        s.close();
      } catch (MessagingException | RuntimeException ignored) {
        // closing a broken connection may fail; nothing more to do
      }
    }
  }

  private static void sleep(Duration delay) {
    try {
      Thread.sleep(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
