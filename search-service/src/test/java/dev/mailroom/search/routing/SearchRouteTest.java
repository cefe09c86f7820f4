package dev.mailroom.search.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SearchRouteTest {

  @Test
  void searchFuzzyAtomRoutesToServerFuzzy() {
    assertThat(SearchRoute.forCapabilities(List.of("IMAP4rev1", "search=fuzzy")))
        .isEqualTo(SearchRoute.SERVER_FUZZY);
  }

  /** Dovecot 2.3 advertises these two to every user, with or without a full-text index. */
  @Test
  void snippetAndPreviewFuzzyAreNotSearchFuzzy() {
    assertThat(
            SearchRoute.forCapabilities(
                List.of("IMAP4rev1", "SNIPPET=FUZZY", "PREVIEW=FUZZY", "ESEARCH")))
        .isEqualTo(SearchRoute.LOCAL);
  }
}
