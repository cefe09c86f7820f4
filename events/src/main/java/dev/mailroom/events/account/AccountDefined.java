package dev.mailroom.events.account;

import dev.mailroom.events.EventIds;
import dev.mailroom.events.EventType;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.EncryptedSecret;
import java.time.Instant;

/**
 * An account exists, with this configuration. The accounts topic is compacted, so its latest record
 * per account is the account's current definition; a tombstone (null value) deletes it.
 *
 * @param ownerId the subject ({@code sub}) of the user who owns the account
 * @param password sealed with {@link dev.mailroom.events.crypto.SecretBox} for this account and
 *     endpoint ({@link dev.mailroom.events.crypto.CredentialBinding})
 * @param definedAt when this version of the definition was made; it orders versions
 * @param createdAt when the first version was made, kept by every later one: no event of the
 *     account is older (the connector starts its checkpoint read there, ADR 0002); null in
 *     definitions written before the field existed
 * @param smtp where the account's mail is sent; null: the account does not send
 * @param smtpPassword sealed like {@code password}, for an SMTP login with its own password; null:
 *     the SMTP login uses the IMAP password
 */
public record AccountDefined(
    AccountId accountId,
    String ownerId,
    String displayName,
    String email,
    ImapEndpoint imap,
    EncryptedSecret password,
    Instant definedAt,
    Instant createdAt,
    SmtpEndpoint smtp,
    EncryptedSecret smtpPassword)
    implements AccountEvent {

  /** An account that does not send (no SMTP settings). */
  public AccountDefined(
      AccountId accountId,
      String ownerId,
      String displayName,
      String email,
      ImapEndpoint imap,
      EncryptedSecret password,
      Instant definedAt,
      Instant createdAt) {
    this(accountId, ownerId, displayName, email, imap, password, definedAt, createdAt, null, null);
  }

  /** This definition with other SMTP settings (same password, same times). */
  public AccountDefined withSmtp(SmtpEndpoint other) {
    return new AccountDefined(
        accountId,
        ownerId,
        displayName,
        email,
        imap,
        password,
        definedAt,
        createdAt,
        other,
        smtpPassword);
  }

  @Override
  public String eventId() {
    return EventIds.of(EventType.ACCOUNT_DEFINED.ceType(), accountId, definedAt);
  }
}
