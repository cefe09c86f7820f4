package dev.mailroom.connector.verify;

import dev.mailroom.events.account.ImapEndpoint;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.EncryptedSecret;

/**
 * Does {@code proposed} serve the same mailbox as {@code current}? Both are logged in to with the
 * account's password, sealed for {@code accountId} at {@code current} (CredentialBinding): a
 * password sealed for any other endpoint does not open. {@code proposed} is reached over TLS or
 * STARTTLS only.
 */
public record SameMailboxRequest(
    AccountId accountId, ImapEndpoint current, ImapEndpoint proposed, EncryptedSecret password) {}
