package dev.mailroom.connector.search;

import dev.mailroom.connector.imap.ImapCommands;
import dev.mailroom.connector.session.SessionContext;
import dev.mailroom.connector.session.SessionWork;
import dev.mailroom.events.model.MailboxPath;
import dev.mailroom.events.model.Uid;
import dev.mailroom.events.model.UidValidity;
import dev.mailroom.events.search.SearchReplied;
import dev.mailroom.events.search.SearchRequested;
import io.quarkus.logging.Log;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;

/**
 * A server-side search, run as {@link SessionWork} on the account's own session: each mailbox in
 * scope is examined (read-only, so no \Seen changes) and searched with one {@code UID SEARCH}.
 *
 * <p>FUZZY is sent only when the request asks for it <em>and</em> the server advertised the whole
 * atom SEARCH=FUZZY: Dovecot advertises SNIPPET=FUZZY and PREVIEW=FUZZY to every user, and a server
 * without SEARCH=FUZZY answers BAD to a FUZZY key (RFC 6203 §3).
 */
final class ServerSearch implements SessionWork<SearchReplied> {

  static final String FUZZY_ROUTE = "server-fuzzy";
  static final String PLAIN_ROUTE = "server";

  private final SearchRequested request;
  private final Clock clock;

  ServerSearch(SearchRequested request, Clock clock) {
    this.request = request;
    this.clock = clock;
  }

  @Override
  public SearchReplied run(SessionContext context) {
    long start = System.nanoTime();
    boolean fuzzy = request.fuzzy() && context.hasCapability("SEARCH=FUZZY");
    SearchKeys keys = SearchKeys.of(request.terms(), fuzzy, context.hasCapability("ESEARCH"));
    List<String> mailboxes =
        request.mailbox() != null
            ? List.of(request.mailbox().value())
            : context.mailboxes().stream().map(MailboxPath::value).sorted().toList();
    List<SearchReplied.Hit> hits = new ArrayList<>();
    boolean complete = true;
    String error = null;
    for (String path : mailboxes) {
      var folder = context.folder(MailboxPath.of(path));
      if (folder.isEmpty()) {
        complete = false;
        error = "no mailbox " + path + " on the server";
        continue;
      }
      try {
        hits.addAll(search(folder.get(), path, keys));
      } catch (MessagingException | RuntimeException e) {
        // One mailbox that cannot be searched (\Noselect, gone since the LIST) leaves the others.
        complete = false;
        error = "searching " + path + " failed: " + e.getMessage();
        Log.debugf("server search of %s failed: %s", path, e.getMessage());
      }
    }
    // Best first: the server's relevancy where it gave one, then the newest UID.
    hits.sort(
        Comparator.comparing((SearchReplied.Hit h) -> h.relevancy() == null ? 0 : h.relevancy())
            .reversed()
            .thenComparing(h -> h.uid().value(), Comparator.reverseOrder()));
    if (hits.size() > request.limit()) {
      hits = new ArrayList<>(hits.subList(0, request.limit()));
      complete = false;
    }
    long took = (System.nanoTime() - start) / 1_000_000;
    return new SearchReplied(
        request.accountId(),
        request.correlationId(),
        fuzzy ? FUZZY_ROUTE : PLAIN_ROUTE,
        hits,
        complete,
        hits.isEmpty() && !complete ? error : null,
        took,
        clock.instant());
  }

  private static List<SearchReplied.Hit> search(IMAPFolder folder, String path, SearchKeys keys)
      throws MessagingException {
    folder.open(Folder.READ_ONLY);
    try {
      // An empty mailbox is not searched: the EXAMINE just said EXISTS 0, and a server does not
      // skip the work itself (Dovecot's Lucene FUZZY enumerates the whole index's terms for each
      // mailbox searched, empty or not: ~100 ms each for Sent, Trash, Junk and Drafts here).
      if (folder.getMessageCount() == 0) {
        return List.of();
      }
      UidValidity uidValidity = UidValidity.of(folder.getUIDValidity());
      SearchReply reply = null;
      for (Response r : ImapCommands.run(folder, "UID SEARCH", keys.argument())) {
        if (r instanceof IMAPResponse ir && ir.keyEquals("ESEARCH")) {
          reply = SearchReply.esearch(after(ir.toString(), "ESEARCH"));
        } else if (r instanceof IMAPResponse ir && ir.keyEquals("SEARCH")) {
          reply = SearchReply.plain(after(ir.toString(), "SEARCH"));
        }
      }
      List<SearchReplied.Hit> hits = new ArrayList<>();
      if (reply != null) {
        MailboxPath mailbox = MailboxPath.of(path);
        for (int i = 0; i < reply.uids().length; i++) {
          Integer score = reply.relevancy() == null ? null : reply.relevancy()[i];
          hits.add(new SearchReplied.Hit(mailbox, uidValidity, Uid.of(reply.uids()[i]), score));
        }
      }
      return hits;
    } finally {
      folder.close(false);
    }
  }

  /**
   * The reply's data after its name: {@code * ESEARCH (TAG "A5") UID ALL 1} -> {@code (TAG ...)
   * ...}.
   */
  static String after(String line, String name) {
    int at = line.toUpperCase(Locale.ROOT).indexOf(name);
    return at < 0 ? "" : line.substring(at + name.length());
  }
}
