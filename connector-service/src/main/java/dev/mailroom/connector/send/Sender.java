package dev.mailroom.connector.send;

import dev.mailroom.connector.imap.ImapConnector;
import dev.mailroom.connector.session.NotHeldHereException;
import dev.mailroom.connector.session.SessionManager;
import dev.mailroom.connector.session.SessionWork;
import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.events.crypto.SecretBox;
import dev.mailroom.events.model.MailboxPath;
import dev.mailroom.events.outbox.SendRequested;
import io.quarkus.logging.Log;
import jakarta.mail.Flags;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;

/**
 * One attempt to send one queued message: read it, know its Sent mailbox (before anything is sent:
 * no Sent, no send), submit it, and append the copy to Sent with {@code \Seen}. IMAP work runs on
 * the account's session ({@link SessionManager#submit}); when no session is here (the account is
 * parked), on a connection of its own.
 */
final class Sender {

  /** What the attempt came to; the copy's mailbox or the reason there is none. */
  record Attempt(SendOutcome outcome, String sentCopyMailbox, String sentCopyProblem) {}

  private static final Session PARSING = Session.getInstance(new java.util.Properties());

  private final SessionManager sessions;
  private final Function<dev.mailroom.events.model.AccountId, Optional<AccountDefined>> definitions;
  private final ImapConnector imap;
  private final SmtpSubmission smtp;
  private final OutboxStore store;
  private final SecretBox secrets;
  private final Map<UUID, CompletableFuture<OutboxStore.Queued>> prefetched =
      new ConcurrentHashMap<>();
  private static final java.util.concurrent.Executor READERS =
      java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

  Sender(
      SessionManager sessions,
      Function<dev.mailroom.events.model.AccountId, Optional<AccountDefined>> definitions,
      ImapConnector imap,
      SmtpSubmission smtp,
      OutboxStore store,
      SecretBox secrets) {
    this.sessions = sessions;
    this.definitions = definitions;
    this.imap = imap;
    this.smtp = smtp;
    this.store = store;
    this.secrets = secrets;
  }

  Attempt attempt(SendRequested request) {
    AccountDefined account = definitions.apply(request.accountId()).orElse(null);
    if (account == null) {
      return new Attempt(
          SendOutcome.Refused.temporary("the account is not held by this connector"), null, null);
    }
    if (account.smtp() == null) {
      return new Attempt(
          SendOutcome.Refused.permanent("the account has no SMTP server"), null, null);
    }
    long t0 = System.nanoTime();
    OutboxStore.Queued early = prefetched(request);
    OutboxStore.Queued queued;
    try {
      queued = early != null ? early : store.read(request.accountId(), request.outboxId());
    } catch (OutboxStore.GoneException e) {
      return new Attempt(SendOutcome.Refused.permanent(e.getMessage()), null, null);
    } catch (Exception e) {
      return new Attempt(
          SendOutcome.Refused.temporary(
              "reading the message from the outbox failed: " + e.getMessage()),
          null,
          null);
    }
    String sent = null;
    if (!account.smtp().savesSentCopy()) {
      // The gateway resolved the Sent role (the owner's mapping first) when it queued the message;
      // only one queued before the account's first sync has none, and then Sent is found on the
      // server as the roles would find it without a mapping.
      Optional<String> found;
      try {
        found =
            queued.sentMailbox() != null
                ? Optional.of(queued.sentMailbox())
                : onImap(account, SentMailbox::find, null);
      } catch (Exception e) {
        return new Attempt(
            SendOutcome.Refused.temporary("finding the Sent mailbox failed: " + e.getMessage()),
            null,
            null);
      }
      if (found.isEmpty()) {
        // BRIEF §4: an action that needs a role that is not mapped fails, naming it, before
        // anything is done.
        return new Attempt(
            SendOutcome.Refused.permanent(
                "Mailboxes not configured: this account has no Sent"
                    + " mailbox (none marked \\Sent, none named Sent, Sent Items or Sent Messages). Create one or map"
                    + " the Sent role, then send again. Nothing was sent."),
            null,
            null);
      }
      sent = found.get();
    }
    String password;
    try {
      password = secrets.openSmtp(account);
    } catch (SecretBox.SecretException e) {
      return new Attempt(
          SendOutcome.Refused.permanent(
              "the stored SMTP password can no longer be read: enter it" + " again"),
          null,
          null);
    }
    long t1 = System.nanoTime();
    SendOutcome outcome =
        smtp.submit(
            account.accountId(),
            account.smtp(),
            password,
            queued.envelopeFrom(),
            queued.recipients(),
            queued.mime());
    if (!(outcome instanceof SendOutcome.Accepted) || sent == null) {
      return new Attempt(outcome, null, null);
    }
    String mailbox = sent;
    long t2 = System.nanoTime();
    try {
      onImap(account, store -> appendSeen(store, mailbox, queued.mime()), mailbox);
      // Where a send's time goes, for the outbox's throughput (bench/send).
      Log.debugf(
          "sent %s: outbox read %d ms, SMTP %d ms, copy %d ms",
          request.outboxId(),
          (t1 - t0) / 1_000_000,
          (t2 - t1) / 1_000_000,
          (System.nanoTime() - t2) / 1_000_000);
      return new Attempt(outcome, mailbox, null);
    } catch (Exception e) {
      // Sent is sent: the copy's failure is reported with it, never a reason to send again.
      Log.warnf(
          "sent %s, but its copy in %s failed: %s", request.outboxId(), mailbox, e.getMessage());
      return new Attempt(
          outcome, null, "appending the copy to " + mailbox + " failed: " + e.getMessage());
    }
  }

  /**
   * Reads the account's next message while the current one is sent: only a read, so nothing changes
   * if that message is then skipped; one message per account is held at most.
   */
  void prefetch(SendRequested next) {
    prefetched.computeIfAbsent(
        next.outboxId(),
        id ->
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return store.read(next.accountId(), id);
                  } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                  }
                },
                READERS));
  }

  /** Drops what was read ahead for a message that will not be attempted. */
  void forget(UUID outboxId) {
    prefetched.remove(outboxId);
  }

  /**
   * What was read ahead for the request; null when nothing was, or the read failed (read again).
   */
  private OutboxStore.Queued prefetched(SendRequested request) {
    CompletableFuture<OutboxStore.Queued> early = prefetched.remove(request.outboxId());
    if (early == null) {
      return null;
    }
    try {
      return early.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return null;
    }
  }

  /** The account has nothing to send right now: its kept SMTP connection may be closed. */
  void idle(dev.mailroom.events.model.AccountId account) {
    smtp.closeIdle(account);
  }

  /** Closes every kept SMTP connection. */
  void close() {
    smtp.close();
  }

  /**
   * APPEND with {@code \Seen}: the copy is the very message sent, Message-ID included, so the store
   * recognises it as the same message (its identity comes from the Message-ID), no second one. With
   * UIDPLUS the server answers APPENDUID (RFC 4315), logged to find the copy.
   */
  private static Void appendSeen(IMAPStore store, String mailbox, byte[] mime) throws Exception {
    MimeMessage copy = new MimeMessage(PARSING, new ByteArrayInputStream(mime));
    copy.setFlag(Flags.Flag.SEEN, true);
    IMAPFolder folder = (IMAPFolder) store.getFolder(mailbox);
    var uids = folder.appendUIDMessages(new Message[] {copy});
    if (uids != null && uids.length == 1 && uids[0] != null) {
      Log.infof(
          "copy appended to %s: UIDVALIDITY %d UID %d", mailbox, uids[0].uidvalidity, uids[0].uid);
    }
    return null;
  }

  private interface StoreWork<T> {
    T run(IMAPStore store) throws Exception;
  }

  /**
   * @param changed a mailbox the work changes: the session syncs it right after, in order
   */
  private <T> T onImap(AccountDefined account, StoreWork<T> work, String changed) throws Exception {
    SessionWork<T> onSession =
        context -> {
          T result = work.run(context.store());
          if (changed != null) {
            context.resync(MailboxPath.of(changed));
          }
          return result;
        };
    try {
      return sessions.submit(account.accountId(), onSession).get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof NotHeldHereException)) {
        throw e.getCause() instanceof Exception cause ? cause : e;
      }
    }
    String password = secrets.openDefinition(account);
    try (IMAPStore store = imap.connect(account.imap(), password)) {
      return work.run(store);
    }
  }
}
