package dev.mailroom.events.crypto;

import dev.mailroom.events.account.ImapEndpoint;
import dev.mailroom.events.account.SmtpEndpoint;
import dev.mailroom.events.model.AccountId;
import java.util.Locale;

/**
 * What a sealed password is bound to: the associated data of its AES-GCM sealing. A password is
 * sealed for one account and one endpoint (host, port, security, username), so a ciphertext copied
 * from the accounts topic opens neither for another account nor for another server: sent to the
 * connector with another host, it does not open and nobody logs in anywhere with it.
 *
 * <p>The pinned certificate is not part of it: approving a certificate does not change where the
 * password goes, and the pin is checked on every connection anyway.
 *
 * <p>Passwords sealed before endpoint binding carry the account id alone ({@link #accountOnly}).
 * They open only where the endpoint comes from the same definition on the accounts topic (the sync
 * sessions, the re-seal of {@code POST /api/admin/credentials/reseal}), never for a check whose
 * endpoint comes with the request.
 */
public final class CredentialBinding {

  private static final String VERSION = "mailroom-credential-v2";

  private CredentialBinding() {}

  /** The associated data of a password sealed for this account at this endpoint. */
  public static String of(AccountId accountId, ImapEndpoint endpoint) {
    // Newline-separated: none of the parts can hold one (the gateway validates host and username).
    return String.join(
        "\n",
        VERSION,
        accountId.toString(),
        endpoint.host().trim().toLowerCase(Locale.ROOT),
        String.valueOf(endpoint.port()),
        endpoint.security().wireName(),
        endpoint.username());
  }

  /**
   * The associated data of an SMTP password of its own (one that differs from the IMAP one), for
   * this account at this submission server; marked as such, so it never opens as an IMAP one.
   */
  public static String of(AccountId accountId, SmtpEndpoint endpoint) {
    return String.join(
        "\n",
        VERSION,
        "smtp",
        accountId.toString(),
        endpoint.host().trim().toLowerCase(Locale.ROOT),
        String.valueOf(endpoint.port()),
        endpoint.security().wireName(),
        endpoint.username());
  }

  /** The associated data of passwords sealed before endpoint binding: the account id. */
  public static String accountOnly(AccountId accountId) {
    return accountId.toString();
  }
}
