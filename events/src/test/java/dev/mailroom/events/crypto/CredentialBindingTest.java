package dev.mailroom.events.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.events.account.ImapEndpoint;
import dev.mailroom.events.account.Security;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.EncryptedSecret;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A sealed password opens for its account and endpoint only; key rotation keeps old ones open. */
class CredentialBindingTest {

  private static final String KEY_1 = Base64.getEncoder().encodeToString(new byte[32]);
  private static final String KEY_2 =
      Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
  private static final AccountId ACCOUNT = AccountId.random();
  private static final ImapEndpoint HOME =
      new ImapEndpoint("imap.example.com", 993, Security.TLS, "ann");
  private final SecretBox box = SecretBox.of("k1", Map.of("k1", KEY_1));

  @Test
  void opensForItsOwnAccountAndEndpoint() {
    EncryptedSecret sealed = box.seal("pw-1", ACCOUNT, HOME);
    assertThat(box.open(sealed, ACCOUNT, HOME)).isEqualTo("pw-1");
    // Host names are case-insensitive (RFC 4343): the same server, the same binding.
    assertThat(
            box.open(
                sealed, ACCOUNT, new ImapEndpoint("IMAP.Example.com", 993, Security.TLS, "ann")))
        .isEqualTo("pw-1");
    // The pin is not part of the binding: approving a certificate does not move the password.
    assertThat(box.open(sealed, ACCOUNT, HOME.withPinnedCertificate("a".repeat(64))))
        .isEqualTo("pw-1");
  }

  @Test
  void doesNotOpenForAnyOtherPartOfTheEndpoint() {
    EncryptedSecret sealed = box.seal("pw-1", ACCOUNT, HOME);
    for (ImapEndpoint other :
        new ImapEndpoint[] {
          new ImapEndpoint("attacker.example.net", 993, Security.TLS, "ann"),
          new ImapEndpoint("imap.example.com", 143, Security.TLS, "ann"),
          new ImapEndpoint("imap.example.com", 993, Security.NONE, "ann"),
          new ImapEndpoint("imap.example.com", 993, Security.STARTTLS, "ann"),
          new ImapEndpoint("imap.example.com", 993, Security.TLS, "bob")
        }) {
      assertThatThrownBy(() -> box.open(sealed, ACCOUNT, other))
          .as(other.toString())
          .isInstanceOf(SecretBox.SecretException.class);
    }
    assertThatThrownBy(() -> box.open(sealed, AccountId.random(), HOME))
        .isInstanceOf(SecretBox.SecretException.class);
  }

  @Test
  void aPasswordSealedBeforeEndpointBindingOpensOnlyFromItsDefinition() {
    EncryptedSecret legacy = box.seal("pw-old", CredentialBinding.accountOnly(ACCOUNT));
    AccountDefined definition = definition(legacy);
    assertThat(box.openDefinition(definition)).isEqualTo("pw-old");
    assertThat(box.isCurrent(definition)).isFalse();
    // Where the endpoint comes with the request, it is refused: it names no endpoint.
    assertThatThrownBy(() -> box.open(legacy, ACCOUNT, HOME))
        .isInstanceOf(SecretBox.SecretException.class);
  }

  @Test
  void rotationSealsWithTheNewKeyOpensTheOldAndMarksThemForResealing() {
    EncryptedSecret old = box.seal("pw-1", ACCOUNT, HOME);
    SecretBox rotated = SecretBox.of("k2", Map.of("k1", KEY_1, "k2", KEY_2));
    assertThat(rotated.openDefinition(definition(old))).isEqualTo("pw-1");
    assertThat(rotated.isCurrent(definition(old))).isFalse();
    EncryptedSecret fresh = rotated.seal("pw-1", ACCOUNT, HOME);
    assertThat(fresh.keyId()).isEqualTo("k2");
    assertThat(rotated.isCurrent(definition(fresh))).isTrue();
    // Once every secret is sealed anew, the old key can go.
    assertThat(SecretBox.of("k2", Map.of("k2", KEY_2)).open(fresh, ACCOUNT, HOME))
        .isEqualTo("pw-1");
  }

  private static AccountDefined definition(EncryptedSecret password) {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    return new AccountDefined(ACCOUNT, "owner", null, null, HOME, password, now, now);
  }
}
