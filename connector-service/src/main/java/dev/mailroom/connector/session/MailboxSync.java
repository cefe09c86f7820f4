package dev.mailroom.connector.session;

import dev.mailroom.connector.imap.MessageMapper;
import dev.mailroom.connector.publish.EventPublisher;
import dev.mailroom.events.mail.MailboxStatus;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.MailboxPath;
import dev.mailroom.events.model.ModSeq;
import dev.mailroom.events.model.UidValidity;
import io.quarkus.logging.Log;
import jakarta.mail.FetchProfile;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.UIDFolder;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPMessage;
import org.eclipse.angus.mail.imap.ResyncData;

/**
 * Brings one mailbox's events up to date: every message from the checkpoint's UIDNEXT on, newest
 * first in batches, then a status that records the new checkpoint. The status is published only
 * after the broker has acknowledged every message before it.
 */
final class MailboxSync {

  private final AccountId account;
  private final EventPublisher publisher;
  private final Clock clock;
  private final int batchSize;

  MailboxSync(AccountId account, EventPublisher publisher, Clock clock, int batchSize) {
    this.account = account;
    this.publisher = publisher;
    this.clock = clock;
    this.batchSize = batchSize;
  }

  /**
   * @param since the last checkpoint, or null for a first sync
   * @return the new checkpoint
   */
  MailboxCheckpoint sync(IMAPFolder folder, MailboxCheckpoint since, boolean condstore)
      throws MessagingException {
    MailboxPath path = MailboxPath.of(folder.getFullName());
    if (condstore) {
      // RFC 7162 §3.1: with CONDSTORE enabled every FETCH reply carries the MODSEQ.
      folder.open(Folder.READ_ONLY, ResyncData.CONDSTORE);
    } else {
      folder.open(Folder.READ_ONLY);
    }
    try {
      UidValidity uidValidity = UidValidity.of(folder.getUIDValidity());
      long fromUid = since != null && since.uidValidity() == uidValidity.value() ? since.uidNext() : 1;
      Message[] found = folder.getMessagesByUID(fromUid, UIDFolder.MAXUID);
      List<IMAPMessage> fresh = new ArrayList<>(found.length);
      for (Message m : found) {
        // "n:*" also names the last message when n is above every UID (RFC 9051 §6.4.9).
        if (m != null && folder.getUID(m) >= fromUid) {
          fresh.add((IMAPMessage) m);
        }
      }
      long maxUid = fromUid - 1;
      for (int end = fresh.size(); end > 0; end -= batchSize) {
        List<IMAPMessage> batch = fresh.subList(Math.max(0, end - batchSize), end);
        maxUid = Math.max(maxUid, emitNewestFirst(folder, path, uidValidity, batch, condstore));
      }
      long uidNext = Math.max(folder.getUIDNext(), maxUid + 1);
      long modSeq = condstore ? folder.getHighestModSeq() : 0;
      long messages = folder.getMessageCount();
      long unseen = Math.max(0, folder.getUnreadMessageCount());
      publisher.publish(new MailboxStatus(account, path, String.valueOf(folder.getSeparator()),
          role(folder), uidValidity, uidNext, condstore ? ModSeq.of(modSeq) : null, messages, unseen,
          clock.instant())).join();
      if (!fresh.isEmpty()) {
        Log.infof("%s: %d new message(s) published", path, fresh.size());
      }
      return new MailboxCheckpoint(uidValidity.value(), uidNext, modSeq, messages, unseen);
    } finally {
      folder.close(false);
    }
  }

  private long emitNewestFirst(IMAPFolder folder, MailboxPath path, UidValidity uidValidity,
      List<IMAPMessage> batch, boolean condstore) throws MessagingException {
    FetchProfile profile = new FetchProfile();
    profile.add(FetchProfile.Item.ENVELOPE);
    profile.add(FetchProfile.Item.FLAGS);
    profile.add(FetchProfile.Item.SIZE);
    profile.add(UIDFolder.FetchProfileItem.UID);
    profile.add(IMAPFolder.FetchProfileItem.INTERNALDATE);
    profile.add("References");
    folder.fetch(batch.toArray(Message[]::new), profile);
    List<CompletableFuture<Void>> sent = new ArrayList<>(batch.size());
    long maxUid = 0;
    for (IMAPMessage message : batch.reversed()) {
      long uid = folder.getUID(message);
      maxUid = Math.max(maxUid, uid);
      try {
        sent.add(publisher.publish(MessageMapper.toEvent(account, path, uidValidity, uid, message, condstore)));
      } catch (MessagingException | RuntimeException e) {
        // One unreadable message must not stop the mailbox: skip it and say which.
        Log.warnf("%s: skipping UID %d, unreadable: %s", path, uid, e.getMessage());
      }
    }
    CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
    return maxUid;
  }

  /** RFC 6154 special use, as the lower-case word without the backslash. */
  static String role(IMAPFolder folder) throws MessagingException {
    for (String attribute : folder.getAttributes()) {
      String a = attribute.toLowerCase(Locale.ROOT);
      switch (a) {
        case "\\archive", "\\sent", "\\trash", "\\junk", "\\drafts", "\\all", "\\flagged" -> {
          return a.substring(1);
        }
        default -> {}
      }
    }
    return null;
  }
}
