package dev.mailroom.events.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.events.model.EncryptedSecret;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretBoxTest {

  private static final String KEY_1 = Base64.getEncoder().encodeToString(new byte[32]);
  private static final String KEY_2 =
      Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());

  @Test
  void sealedSecretOpensWithTheSameAccountAndHidesThePlaintext() {
    SecretBox box = SecretBox.of("k1", Map.of("k1", KEY_1));
    EncryptedSecret sealed = box.seal("hunter2-correct-horse", "account-a");
    assertThat(sealed.keyId()).isEqualTo("k1");
    assertThat(sealed.ciphertext()).doesNotContain("hunter2");
    assertThat(new String(Base64.getDecoder().decode(sealed.ciphertext())))
        .doesNotContain("hunter2");
    assertThat(box.open(sealed, "account-a")).isEqualTo("hunter2-correct-horse");
    assertThat(sealed.toString()).doesNotContain(sealed.ciphertext());
  }

  @Test
  void secretCopiedToAnotherAccountDoesNotOpen() {
    SecretBox box = SecretBox.of("k1", Map.of("k1", KEY_1));
    EncryptedSecret sealed = box.seal("pw", "account-a");
    assertThatThrownBy(() -> box.open(sealed, "account-b"))
        .isInstanceOf(SecretBox.SecretException.class);
  }

  @Test
  void rotatedKeyStillOpensOldSecretsAndSealsNewOnesWithTheActiveKey() {
    EncryptedSecret old = SecretBox.of("k1", Map.of("k1", KEY_1)).seal("pw", "a");
    SecretBox rotated = SecretBox.of("k2", Map.of("k1", KEY_1, "k2", KEY_2));
    assertThat(rotated.open(old, "a")).isEqualTo("pw");
    assertThat(rotated.seal("pw", "a").keyId()).isEqualTo("k2");
  }

  @Test
  void missingKeyAndBadKeyMaterialAreExplained() {
    EncryptedSecret old = SecretBox.of("k1", Map.of("k1", KEY_1)).seal("pw", "a");
    assertThatThrownBy(() -> SecretBox.of("k2", Map.of("k2", KEY_2)).open(old, "a"))
        .hasMessageContaining("sealed with key k1");
    assertThatThrownBy(() -> SecretBox.of("k1", Map.of("k1", "c2hvcnQ=")))
        .hasMessageContaining("must be 32 bytes");
    assertThatThrownBy(() -> SecretBox.of("k9", Map.of("k1", KEY_1)))
        .hasMessageContaining("active key id k9");
  }
}
