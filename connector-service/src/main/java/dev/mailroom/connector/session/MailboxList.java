package dev.mailroom.connector.session;

import dev.mailroom.connector.checkpoint.MailboxState;
import dev.mailroom.connector.publish.EventPublisher;
import dev.mailroom.events.mail.MailboxChanged;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.MailboxPath;
import dev.mailroom.events.model.UidValidity;
import io.quarkus.logging.Log;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.imap.protocol.Status;

/**
 * The account's mailboxes from LIST, compared with the ones it has states for: a mailbox that
 * appeared is CREATED, one that vanished is DELETED, and a vanished one whose UIDVALIDITY and
 * UIDNEXT reappear under a new name is RENAMED (RFC 9051 §6.3.6 keeps UIDVALIDITY across a RENAME
 * on servers that preserve the mailbox, as Dovecot does), so its messages keep their locations
 * instead of being deleted and announced again.
 */
final class MailboxList {

  private final AccountId account;
  private final EventPublisher publisher;
  private final Clock clock;

  MailboxList(AccountId account, EventPublisher publisher, Clock clock) {
    this.account = account;
    this.publisher = publisher;
    this.clock = clock;
  }

  /** Every selectable mailbox, INBOX first: it is where a person looks first. */
  static Map<MailboxPath, IMAPFolder> list(IMAPStore store) throws MessagingException {
    List<IMAPFolder> out = new ArrayList<>();
    for (Folder f : store.getDefaultFolder().list("*")) {
      if ((f.getType() & Folder.HOLDS_MESSAGES) != 0) {
        String[] attributes = ((IMAPFolder) f).getAttributes();
        if (attributes != null
            && List.of(attributes).stream()
                .anyMatch(
                    a -> a.equalsIgnoreCase("\\Noselect") || a.equalsIgnoreCase("\\NonExistent"))) {
          continue;
        }
        out.add((IMAPFolder) f);
      }
    }
    out.sort(
        (a, b) ->
            Boolean.compare(
                !"INBOX".equalsIgnoreCase(a.getFullName()),
                !"INBOX".equalsIgnoreCase(b.getFullName())));
    Map<MailboxPath, IMAPFolder> byPath = new LinkedHashMap<>();
    out.forEach(f -> byPath.put(MailboxPath.of(f.getFullName()), f));
    return byPath;
  }

  /**
   * Publishes the differences and updates {@code states} to match. An account with no states yet is
   * being synced for the first time: its mailboxes are not news, so nothing is published.
   *
   * @return the mailboxes renamed or created, which need a sync (and a status under their name)
   */
  Set<MailboxPath> reconcile(
      Map<MailboxPath, IMAPFolder> listed, Map<MailboxPath, MailboxState> states)
      throws MessagingException {
    Set<MailboxPath> touched = new HashSet<>();
    if (states.isEmpty()) {
      return touched;
    }
    Set<MailboxPath> appeared = new HashSet<>(listed.keySet());
    appeared.removeAll(states.keySet());
    Set<MailboxPath> vanished = new HashSet<>(states.keySet());
    vanished.removeAll(listed.keySet());
    Map<MailboxPath, Status> appearedStatus = new LinkedHashMap<>();
    for (MailboxPath path : appeared) {
      appearedStatus.put(path, statusOrNull(listed.get(path)));
    }
    for (MailboxPath gone :
        vanished.stream().sorted(java.util.Comparator.comparing(MailboxPath::value)).toList()) {
      MailboxState state = states.remove(gone);
      MailboxPath renamedTo =
          appearedStatus.entrySet().stream()
              .filter(
                  e ->
                      e.getValue() != null
                          && e.getValue().uidvalidity == state.uidValidity().value()
                          && (!state.complete()
                              || e.getValue().uidnext >= state.checkpoint().uidNext()))
              .map(Map.Entry::getKey)
              .findFirst()
              .orElse(null);
      if (renamedTo != null) {
        appearedStatus.remove(renamedTo);
        states.put(renamedTo, state);
        touched.add(renamedTo);
        publish(MailboxChanged.Change.RENAMED, renamedTo, gone, state.uidValidity());
      } else {
        publish(MailboxChanged.Change.DELETED, gone, null, state.uidValidity());
      }
    }
    for (var created : appearedStatus.entrySet()) {
      Status s = created.getValue();
      publish(
          MailboxChanged.Change.CREATED,
          created.getKey(),
          null,
          s == null ? null : UidValidity.of(s.uidvalidity));
      touched.add(created.getKey());
      if (s != null) {
        // Known from now on, synced or not: a mailbox deleted again before its first sync
        // finished must still be announced as deleted.
        states.put(created.getKey(), new MailboxState(UidValidity.of(s.uidvalidity)));
      }
    }
    return touched;
  }

  /** {@code uidValidity} is null for a mailbox whose STATUS was refused. */
  private void publish(
      MailboxChanged.Change change,
      MailboxPath path,
      MailboxPath previous,
      UidValidity uidValidity) {
    Log.infof("mailbox %s: %s%s", change, path, previous == null ? "" : " (was " + previous + ")");
    publisher
        .publish(
            new MailboxChanged(account, change, path, previous, uidValidity, null, clock.instant()))
        .join();
  }

  /**
   * A NO to the STATUS of a mailbox just listed (gone again, or a name the server will not take
   * back as the client encodes it, RFC 3501 §5.1.3) leaves it without a status: it is announced as
   * created without a UIDVALIDITY, and its own sync reports what the server says.
   */
  private static Status statusOrNull(IMAPFolder folder) throws MessagingException {
    try {
      return status(folder);
    } catch (MessagingException e) {
      if (e.getCause() instanceof org.eclipse.angus.mail.iap.CommandFailedException) {
        Log.warnf("mailbox %s: STATUS refused: %s", folder.getFullName(), e.getMessage());
        return null;
      }
      throw e;
    }
  }

  /** A STATUS is the cheapest question that tells whether a mailbox changed at all. */
  static Status status(IMAPFolder folder) throws MessagingException {
    boolean condstore = ((IMAPStore) folder.getStore()).hasCapability("CONDSTORE");
    String[] items =
        condstore
            ? new String[] {"MESSAGES", "UIDNEXT", "UIDVALIDITY", "UNSEEN", "HIGHESTMODSEQ"}
            : new String[] {"MESSAGES", "UIDNEXT", "UIDVALIDITY", "UNSEEN"};
    return (Status) folder.doCommand(protocol -> protocol.status(folder.getFullName(), items));
  }
}
