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
}
