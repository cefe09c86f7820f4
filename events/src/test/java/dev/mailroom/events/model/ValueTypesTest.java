package dev.mailroom.events.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ValueTypesTest {

  @Test
  void uidAndUidValidityAreUnsigned32Bit() {
    assertThat(Uid.of(4_294_967_295L).value()).isEqualTo(4_294_967_295L);
    assertThat(UidValidity.of(4_294_967_295L).value()).isEqualTo(4_294_967_295L);
    assertThatThrownBy(() -> Uid.of(0)).hasMessageContaining("UID out of range");
    assertThatThrownBy(() -> Uid.of(4_294_967_296L)).hasMessageContaining("UID out of range");
    assertThatThrownBy(() -> UidValidity.of(0)).hasMessageContaining("UIDVALIDITY out of range");
  }

  @Test
  void modSeqIsUnsigned63Bit() {
    assertThat(ModSeq.of(Long.MAX_VALUE).isNewerThan(ModSeq.of(1))).isTrue();
    assertThatThrownBy(() -> ModSeq.of(-1)).hasMessageContaining("63-bit");
  }

  @Test
  void inboxIsCaseInsensitiveOtherNamesAreNot() {
    assertThat(MailboxPath.of("inbox")).isEqualTo(MailboxPath.INBOX);
    assertThat(MailboxPath.of("Archive")).isNotEqualTo(MailboxPath.of("archive"));
  }

  @Test
  void accountIdExplainsWhatItExpects() {
    assertThatThrownBy(() -> AccountId.of("42")).hasMessageContaining("expected a UUID");
  }
}
