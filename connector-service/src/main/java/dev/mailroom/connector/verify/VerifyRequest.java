package dev.mailroom.connector.verify;

import dev.mailroom.events.account.ImapEndpoint;
import dev.mailroom.events.account.SmtpEndpoint;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.EncryptedSecret;

/**
 * Try these settings before the account is saved. The password arrives sealed for {@code accountId}
 * (its associated data), exactly as it will travel on the accounts topic: only the connector, the
 * component that logs in, ever opens it.
 *
 * @param smtp the SMTP settings to try after IMAP, or null
 * @param smtpPassword the SMTP login's own password, sealed; null: the IMAP password
 * @param email the account's address: the SMTP check asks the server whether it would take mail
 *     from it (MAIL FROM, RCPT TO, RSET); null skips that question
 */
public record VerifyRequest(
    AccountId accountId,
    ImapEndpoint imap,
    EncryptedSecret password,
    SmtpEndpoint smtp,
    EncryptedSecret smtpPassword,
    String email) {}
