package dev.mailroom.connector.session;

import dev.mailroom.connector.checkpoint.MailboxState;
import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.events.model.MailboxPath;
import dev.mailroom.events.model.UidValidity;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;

/**
 * What a {@link SessionWork} may use: the session's logged-in store, the server's capabilities, the
 * mailboxes of the last LIST, and what the session has announced of each. Valid only while the work
 * runs. A folder the work opens it closes itself; the session releases its own kept selection
 * before the work, so the store's connections are the work's.
 */
public final class SessionContext {

  private final AccountDefined account;
  private final IMAPStore store;
  private final Capabilities capabilities;
  private final Map<MailboxPath, IMAPFolder> folders;
  private final Map<MailboxPath, MailboxState> states;
  private final Set<MailboxPath> resync = new LinkedHashSet<>();
  private boolean relist;

  SessionContext(
      AccountDefined account,
      IMAPStore store,
      Capabilities capabilities,
      Map<MailboxPath, IMAPFolder> folders,
      Map<MailboxPath, MailboxState> states) {
    this.account = account;
    this.store = store;
    this.capabilities = capabilities;
    this.folders = folders;
    this.states = states;
  }

  public AccountDefined account() {
    return account;
  }

  /** The session's store: logged in, its connection the session's own. */
  public IMAPStore store() {
    return store;
  }

  /**
   * Whether the server advertised {@code atom}, compared as a whole atom, case-insensitively (RFC
   * 9051 §7.2.2): {@code SEARCH=FUZZY} is not {@code SNIPPET=FUZZY}.
   */
  public boolean hasCapability(String atom) {
    return capabilities.all().stream().anyMatch(a -> a.equalsIgnoreCase(atom));
  }

  /** Every capability atom, as the server sent it. */
  public List<String> capabilities() {
    return capabilities.all();
  }

  /**
   * A mailbox of the last LIST by its path (decoded, as events name it), or empty. The folder is
   * the session's listing object: open it, use it, close it.
   */
  public Optional<IMAPFolder> folder(MailboxPath path) {
    return Optional.ofNullable(folders.get(path));
  }

  /** The paths of the last LIST. */
  public Set<MailboxPath> mailboxes() {
    return Set.copyOf(folders.keySet());
  }

  /** The UIDVALIDITY the session last announced for a mailbox, or empty if it announced none. */
  public Optional<UidValidity> uidValidity(MailboxPath path) {
    MailboxState state = states.get(path);
    return state == null ? Optional.empty() : Optional.of(state.uidValidity());
  }

  /** Sync this mailbox as soon as the work is done: its changes become events, in order. */
  public void resync(MailboxPath path) {
    resync.add(path);
  }

  /** LIST again as soon as the work is done (it created, renamed or deleted a mailbox). */
  public void relist() {
    relist = true;
  }

  Set<MailboxPath> resyncs() {
    return resync;
  }

  boolean relistWanted() {
    return relist;
  }
}
