package dev.mailroom.connector.imap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BodyTextTest {

  @Test
  void aSnippetFoldsWhiteSpaceAndTrimsTheEnds() {
    assertThat(BodyText.snippet("  Hello,\r\n\r\n\tworld \u00a0 again  \n"))
        .isEqualTo("Hello, world again");
    assertThat(BodyText.snippet(" \n\t ")).isEmpty();
  }

  @Test
  void aSnippetStopsAtTwoHundredCharactersAndSaysThereWasMore() {
    String exact = "x".repeat(200);
    assertThat(BodyText.snippet(exact + "   \n")).isEqualTo(exact);
    assertThat(BodyText.snippet(exact + " y")).isEqualTo(exact + "\u2026");
    assertThat(BodyText.snippet("word ".repeat(100))).hasSize(200 - 1 + 1).endsWith("word\u2026");
  }

  @Test
  void aSnippetNeverEndsInHalfACharacter() {
    String emoji = "\ud83d\ude00"; // one character, two UTF-16 units
    String snippet = BodyText.snippet("x".repeat(199) + emoji + " more");
    assertThat(snippet).isEqualTo("x".repeat(199) + "\u2026");
    assertThat(BodyText.snippet(emoji.repeat(150)))
        .isEqualTo(emoji.repeat(100) + "\u2026")
        .doesNotContain("\ud83d\u2026");
  }
}
