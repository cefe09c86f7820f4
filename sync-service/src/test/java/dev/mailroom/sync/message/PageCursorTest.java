package dev.mailroom.sync.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PageCursorTest {

  private static String encoded(String plain) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aCursorItGaveOutDecodesToTheSamePlace() {
    PageCursor cursor =
        new PageCursor(Instant.parse("2026-03-01T10:15:30.123456Z"), 4_294_967_295L);
    assertThat(PageCursor.decode(cursor.encode())).isEqualTo(cursor);
  }

  /**
   * A huge timestamp once reached the query and failed there: HTTP 500 here, 502 at the gateway.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "31556889864403199.0:5", // Instant.MAX's seconds: valid for Instant, not for SQL
        "9223372036854775807.0:5", // beyond Instant
        "-62135596801.0:5", // a second before year 1
        "1700000000.1000000000:5", // nanoseconds out of range
        "1700000000.0:0", // UID 0 does not exist
        "1700000000.0:4294967296", // beyond 32 bits
        "1700000000.0:-1",
        "1700000000:5",
        "hello"
      })
  void nonsenseIsRefusedAsBadInput(String plain) {
    assertThatThrownBy(() -> PageCursor.decode(encoded(plain)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("start again without it");
  }

  @Test
  void textThatIsNotBase64IsRefused() {
    assertThatThrownBy(() -> PageCursor.decode("%%%not base64"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
