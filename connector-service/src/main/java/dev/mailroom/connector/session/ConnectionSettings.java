package dev.mailroom.connector.session;

import dev.mailroom.events.account.AccountDefined;
import java.util.Objects;

/**
 * Which parts of an account's definition a session logs in with. Only a change of these restarts
 * the session: a new display name once cost a new login (and a new first pass over the mailboxes'
 * STATUS) per PATCH.
 *
 * <p>Connection settings: the whole {@link dev.mailroom.events.account.ImapEndpoint} (host, port,
 * security, user name, pinned certificate; a field added to it counts as one too) and the sealed
 * password (the gateway keeps the sealed value as it is unless a new password is given). Not
 * connection settings: the owner, display name, e-mail address and the two timestamps ({@code
 * createdAt} is read once, when the session restores its checkpoints, and every version keeps it),
 * and the SMTP settings and password, which each send reads from the latest definition.
 */
final class ConnectionSettings {

  private ConnectionSettings() {}

  static boolean changed(AccountDefined before, AccountDefined after) {
    return !before.accountId().equals(after.accountId())
        || !Objects.equals(before.imap(), after.imap())
        || !Objects.equals(before.password(), after.password());
  }
}
