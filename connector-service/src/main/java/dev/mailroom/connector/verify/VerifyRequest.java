package dev.mailroom.connector.verify;

import dev.mailroom.events.account.ImapEndpoint;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.EncryptedSecret;

/**
 * Try these settings before the account is saved. The password arrives sealed for {@code
 * accountId} (its associated data), exactly as it will travel on the accounts topic: only the
 * connector, the component that logs in, ever opens it.
 */
public record VerifyRequest(AccountId accountId, ImapEndpoint imap, EncryptedSecret password) {}
