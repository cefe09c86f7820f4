package dev.mailroom.gateway.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.events.crypto.CredentialKeys;
import dev.mailroom.events.crypto.SecretBox;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CredentialKeysTest {

  private static final String KEY_A = Base64.getEncoder().encodeToString(new byte[32]);
  private static final String KEY_B =
      Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
  private static final String KEY_C =
      Base64.getEncoder().encodeToString("abcdef0123456789abcdef0123456789".getBytes());

  @Test
  void activeKeyAlone() {
    assertThat(CredentialKeys.parse("k2", KEY_B, Optional.empty()))
        .containsExactly(Map.entry("k2", KEY_B));
    assertThat(CredentialKeys.parse("k2", KEY_B, Optional.of("  "))).containsOnlyKeys("k2");
  }

  @Test
  void oldKeysAreReadWithSpacesAroundEntries() {
    Map<String, String> keys =
        CredentialKeys.parse("k3", KEY_C, Optional.of(" k1:" + KEY_A + " , k2:" + KEY_B + " "));

    assertThat(keys)
        .containsOnly(Map.entry("k3", KEY_C), Map.entry("k1", KEY_A), Map.entry("k2", KEY_B));
  }

  @Test
  void aSecretSealedWithAnOldKeyOpensAfterRotation() {
    SecretBox before = SecretBox.of("k1", CredentialKeys.parse("k1", KEY_A, Optional.empty()));
    var sealed = before.seal("pw", "account");

    SecretBox after =
        SecretBox.of("k2", CredentialKeys.parse("k2", KEY_B, Optional.of("k1:" + KEY_A)));

    assertThat(after.open(sealed, "account")).isEqualTo("pw");
    assertThat(after.seal("pw", "account").keyId()).isEqualTo("k2");
  }

  @Test
  void malformedEntriesAreExplainedWithoutKeyMaterial() {
    assertThatThrownBy(() -> CredentialKeys.parse("k2", KEY_B, Optional.of("k1" + KEY_A)))
        .hasMessageContaining("entry 1 is not id:base64")
        .hasMessageNotContaining(KEY_A);
    assertThatThrownBy(() -> CredentialKeys.parse("k2", KEY_B, Optional.of("k1:" + KEY_A + ",k9:")))
        .hasMessageContaining("entry 2 is not id:base64 (key id k9)");
    assertThatThrownBy(() -> CredentialKeys.parse("k2", KEY_B, Optional.of(":" + KEY_A)))
        .hasMessageContaining("entry 1");
  }

  @Test
  void aKeyIdGivenTwiceIsRefused() {
    assertThatThrownBy(() -> CredentialKeys.parse("k2", KEY_B, Optional.of("k2:" + KEY_A)))
        .hasMessageContaining("k2 is given twice")
        .hasMessageNotContaining(KEY_A)
        .hasMessageNotContaining(KEY_B);
  }

  @Test
  void emptyActiveKeyIsRefused() {
    assertThatThrownBy(() -> CredentialKeys.parse(" ", KEY_B, Optional.empty()))
        .hasMessageContaining("key-id is empty");
    assertThatThrownBy(() -> CredentialKeys.parse("k1", "", Optional.empty()))
        .hasMessageContaining("key is empty (key id k1)");
  }

  @Test
  void badMaterialIsCaughtBySecretBox() {
    assertThatThrownBy(
            () -> SecretBox.of("k1", CredentialKeys.parse("k1", KEY_A, Optional.of("k0:c2hvcnQ="))))
        .hasMessageContaining("k0 must be 32 bytes");
  }
}
