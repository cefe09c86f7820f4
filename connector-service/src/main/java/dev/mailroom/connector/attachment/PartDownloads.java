package dev.mailroom.connector.attachment;

import dev.mailroom.connector.imap.FailureClassifier;
import dev.mailroom.connector.imap.ImapCommands;
import dev.mailroom.connector.imap.ImapConnector;
import dev.mailroom.connector.session.SessionManager;
import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.events.crypto.SecretBox;
import dev.mailroom.events.model.AccountId;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.mail.Folder;
import jakarta.mail.FolderNotFoundException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.imap.protocol.BODYSTRUCTURE;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.UID;

/**
 * Opens one body part of one message of an account this instance holds, on an IMAP connection of
 * the download's own (ADR 0011): a 20 MB attachment over a slow link takes seconds to minutes, and
 * the session's connection would not sync or hear pushes meanwhile. Turns are bounded per account
 * (a server may allow few connections) and per instance (memory stays below that many chunks).
 */
@ApplicationScoped
public class PartDownloads {

  private final SessionManager sessions;
  private final ImapConnector connector;
  private final SecretBox secrets;
  private final AttachmentConfig config;
  private final Semaphore instance;
  private final Map<AccountId, Semaphore> accounts = new ConcurrentHashMap<>();

  PartDownloads(
      SessionManager sessions,
      ImapConnector connector,
      SecretBox secrets,
      AttachmentConfig config) {
    this.sessions = sessions;
    this.connector = connector;
    this.secrets = secrets;
    this.config = config;
    this.instance = new Semaphore(config.concurrent(), true);
  }

  /**
   * @throws DownloadRefused with the status the caller answers (see there)
   */
  public OpenedPart open(PartRequest request) throws DownloadRefused {
    AccountDefined account =
        sessions
            .definition(request.account())
            .orElseThrow(
                () ->
                    DownloadRefused.notHeld(
                        "account " + request.account() + " is not held by this instance"));
    Semaphore perAccount =
        accounts.computeIfAbsent(request.account(), a -> new Semaphore(config.perAccount(), true));
    Runnable release = turn(perAccount);
    IMAPStore store = null;
    try {
      store = connector.connect(account.imap(), secrets.openDefinition(account));
      IMAPFolder folder = (IMAPFolder) store.getFolder(request.mailbox().value());
      try {
        folder.open(Folder.READ_ONLY); // EXAMINE: nothing about the mailbox changes
      } catch (FolderNotFoundException e) {
        throw DownloadRefused.gone(
            "mailbox " + request.mailbox() + " no longer exists on the server");
      }
      long uidValidity = folder.getUIDValidity();
      if (uidValidity != request.uidValidity().value()) {
        // RFC 9051 §2.3.1.1: under another UIDVALIDITY the same UID may name another message.
        throw DownloadRefused.gone(
            "mailbox "
                + request.mailbox()
                + " has UIDVALIDITY "
                + uidValidity
                + " now, not "
                + request.uidValidity()
                + ": its UIDs were renumbered, and the store will catch up");
      }
      BODYSTRUCTURE message = structure(folder, request.uid().value());
      if (message == null) {
        throw DownloadRefused.gone(
            "message UID "
                + request.uid()
                + " is no longer in mailbox "
                + request.mailbox()
                + " (expunged or moved)");
      }
      BODYSTRUCTURE part;
      try {
        part = PartStructure.locate(message, request.section());
      } catch (PartStructure.NoSuchPart e) {
        throw DownloadRefused.noSuchPart(e.getMessage());
      }
      var raw =
          new SectionStream(folder, request.uid().value(), request.section(), config.chunkSize());
      return new OpenedPart(
          PartStructure.contentType(part),
          part.encoding,
          Math.max(0, part.size),
          raw,
          store,
          release);
    } catch (DownloadRefused e) {
      close(store);
      release.run();
      throw e;
    } catch (Exception e) {
      close(store);
      release.run();
      FailureClassifier.Classified why = FailureClassifier.classify(e);
      Log.infof(
          "attachment download of account %s could not read its server: %s",
          request.account(), why.category());
      throw DownloadRefused.serverFailed(
          "the account's mail server could not be read (" + why.category() + "): " + why.detail());
    }
  }

  /** Takes a turn of the account and of the instance; the runnable gives both back, once. */
  private Runnable turn(Semaphore perAccount) throws DownloadRefused {
    Duration wait = config.queueWait();
    try {
      if (!perAccount.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS)) {
        throw DownloadRefused.busy(
            config.perAccount() + " downloads of this account are running; try again shortly",
            wait);
      }
      if (!instance.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS)) {
        perAccount.release();
        throw DownloadRefused.busy(
            "this connector instance runs " + config.concurrent() + " downloads; try again shortly",
            wait);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw DownloadRefused.busy("interrupted while waiting for a turn", wait);
    }
    var released = new java.util.concurrent.atomic.AtomicBoolean();
    return () -> {
      if (released.compareAndSet(false, true)) {
        instance.release();
        perAccount.release();
      }
    };
  }

  /** {@code UID FETCH uid (UID BODYSTRUCTURE)}; null when the mailbox has no such UID. */
  private static BODYSTRUCTURE structure(IMAPFolder folder, long uid) throws Exception {
    for (Response r : ImapCommands.run(folder, "UID FETCH " + uid + " (UID BODYSTRUCTURE)")) {
      if (r instanceof FetchResponse f) {
        UID u = f.getItem(UID.class);
        BODYSTRUCTURE s = f.getItem(BODYSTRUCTURE.class);
        if (u != null && u.uid == uid && s != null) {
          return s;
        }
      }
    }
    return null;
  }

  private static void close(IMAPStore store) {
    if (store != null) {
      try {
        store.close();
      } catch (Exception e) {
        // dropped either way
      }
    }
  }
}
