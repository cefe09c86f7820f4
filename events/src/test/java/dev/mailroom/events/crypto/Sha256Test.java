package dev.mailroom.events.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Sha256Test {

  @Test
  void digestsAsFips180Says() {
    // FIPS 180-2, appendix B.1: the one-block message "abc".
    assertThat(HexFormat.of().formatHex(Sha256.digest("abc".getBytes(StandardCharsets.US_ASCII))))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void eachDigestStartsEmptyWhateverAnotherHolds() {
    MessageDigest first = Sha256.newDigest();
    first.update("half of something".getBytes(StandardCharsets.US_ASCII));
    MessageDigest second = Sha256.newDigest();
    assertThat(HexFormat.of().formatHex(second.digest()))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }
}
