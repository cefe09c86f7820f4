package dev.mailroom.connector.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.events.account.ImapEndpoint;
import dev.mailroom.events.account.Security;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.EncryptedSecret;
import java.time.Instant;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Which changes of an account's definition restart its session (a new login) and which do not. */
class ConnectionSettingsTest {

  private static final ImapEndpoint IMAP =
      new ImapEndpoint("imap.example.com", 993, Security.TLS, "ada");
  private static final AccountDefined BEFORE =
      new AccountDefined(
          AccountId.random(),
          "owner-1",
          "Ada",
          "ada@example.com",
          IMAP,
          new EncryptedSecret("k1", "bm9uY2U=", "c2VhbGVk"),
          Instant.parse("2026-11-26T09:00:00Z"),
          Instant.parse("2026-11-01T09:00:00Z"));

  @Test
  void whatTheSessionDoesNotLogInWithKeepsTheSession() {
    assertThat(changed(a -> with(a, "Ada L.", a.email(), a.imap(), a.password()))).isFalse();
    assertThat(changed(a -> with(a, a.displayName(), "ada@other.example", a.imap(), a.password())))
        .isFalse();
    assertThat(changed(a -> with(a, null, null, a.imap(), a.password()))).isFalse();
    assertThat(
            changed(
                a ->
                    new AccountDefined(
                        a.accountId(),
                        "owner-2",
                        a.displayName(),
                        a.email(),
                        a.imap(),
                        a.password(),
                        a.definedAt(),
                        a.createdAt())))
        .isFalse();
  }

  @Test
  void everyConnectionSettingRestartsTheSession() {
    assertThat(changed(a -> with(a, imap("imap2.example.com", 993, Security.TLS, "ada", null))))
        .isTrue();
    assertThat(changed(a -> with(a, imap("imap.example.com", 143, Security.TLS, "ada", null))))
        .isTrue();
    assertThat(changed(a -> with(a, imap("imap.example.com", 993, Security.STARTTLS, "ada", null))))
        .isTrue();
    assertThat(changed(a -> with(a, imap("imap.example.com", 993, Security.TLS, "ada.l", null))))
        .isTrue();
    assertThat(changed(a -> with(a, IMAP.withPinnedCertificate("ab".repeat(32))))).isTrue();
    assertThat(
            changed(
                a ->
                    with(
                        a,
                        a.displayName(),
                        a.email(),
                        a.imap(),
                        new EncryptedSecret("k1", "b3RoZXI=", "bmV3"))))
        .isTrue();
  }

  /**
   * A field added to the definition must be placed on one side or the other: this list is the
   * reminder. Fields of {@link ImapEndpoint} need none: the whole endpoint is compared.
   */
  @Test
  void everyFieldOfTheDefinitionIsAccountedFor() {
    assertThat(Arrays.stream(AccountDefined.class.getRecordComponents()).map(c -> c.getName()))
        .containsExactly(
            "accountId",
            "ownerId",
            "displayName",
            "email",
            "imap",
            "password",
            "definedAt",
            "createdAt",
            "smtp",
            "smtpPassword");
  }

  private static boolean changed(UnaryOperator<AccountDefined> change) {
    AccountDefined after = change.apply(BEFORE);
    return ConnectionSettings.changed(
        BEFORE,
        new AccountDefined(
            after.accountId(),
            after.ownerId(),
            after.displayName(),
            after.email(),
            after.imap(),
            after.password(),
            BEFORE.definedAt().plusSeconds(60),
            after.createdAt()));
  }

  private static AccountDefined with(AccountDefined a, ImapEndpoint imap) {
    return with(a, a.displayName(), a.email(), imap, a.password());
  }

  private static AccountDefined with(
      AccountDefined a,
      String displayName,
      String email,
      ImapEndpoint imap,
      EncryptedSecret password) {
    return new AccountDefined(
        a.accountId(),
        a.ownerId(),
        displayName,
        email,
        imap,
        password,
        a.definedAt(),
        a.createdAt());
  }

  private static ImapEndpoint imap(
      String host, int port, Security security, String user, String pin) {
    return new ImapEndpoint(host, port, security, user, pin);
  }
}
