package dev.mailroom.gateway.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.events.EventCodec;
import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.events.account.Security;
import dev.mailroom.events.crypto.SecretBox;
import dev.mailroom.events.model.AccountId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccountRegistrationTest {

  private static final String PASSWORD = "app-specific-password-1234";
  private final SecretBox box =
      SecretBox.of("k1", Map.of("k1", Base64.getEncoder().encodeToString(new byte[32])));
  private final AccountRegistration registration = new AccountRegistration(box, null, null, null);

  @Test
  void theEventCarriesTheOwnerFromTheTokenAndASealedPassword() {
    AccountId id = AccountId.random();
    Instant now = Instant.parse("2026-11-26T09:00:00Z");
    var request =
        new NewAccountRequest(
            " ", "me@example.com ", " imap.example.com ", 143, "STARTTLS", "me", PASSWORD);

    AccountDefined event = registration.define("sub-1", request, id, now);

    assertThat(event.accountId()).isEqualTo(id);
    assertThat(event.ownerId()).isEqualTo("sub-1");
    assertThat(event.displayName()).isNull();
    assertThat(event.email()).isEqualTo("me@example.com");
    assertThat(event.imap().host()).isEqualTo("imap.example.com");
    assertThat(event.imap().security()).isEqualTo(Security.STARTTLS);
    assertThat(event.definedAt()).isEqualTo(now);
    assertThat(event.createdAt()).isEqualTo(now);
    assertThat(box.open(event.password(), id, event.imap())).isEqualTo(PASSWORD);
    // Bound to its endpoint: the same ciphertext does not open for another server.
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                box.open(
                    event.password(),
                    id,
                    new dev.mailroom.events.account.ImapEndpoint(
                        "evil.example", 993, Security.TLS, event.imap().username())))
        .isInstanceOf(dev.mailroom.events.crypto.SecretBox.SecretException.class);
    assertThat(new String(EventCodec.encode(event), StandardCharsets.UTF_8))
        .doesNotContain(PASSWORD);
  }

  @Test
  void theViewIsPendingAndHasNoPassword() {
    AccountDefined event =
        registration.define(
            "sub-1",
            new NewAccountRequest("Work", null, "h", 993, "tls", "me", PASSWORD),
            AccountId.random(),
            Instant.now());

    AccountView view = AccountView.pending(event);

    assertThat(view.status()).isEqualTo("pending");
    assertThat(view.security()).isEqualTo("tls");
    assertThat(view.toString()).doesNotContain(PASSWORD);
  }

  @Test
  void theRequestNeverPrintsItsPassword() {
    assertThat(new NewAccountRequest(null, null, "h", 993, "tls", "me", PASSWORD).toString())
        .doesNotContain(PASSWORD)
        .contains("password=(hidden)");
  }
}
