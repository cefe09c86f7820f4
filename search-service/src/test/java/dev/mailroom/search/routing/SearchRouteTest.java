package dev.mailroom.search.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SearchRouteTest {

  @Test
  void fuzzyRouteOnlyForTheWholeSearchFuzzyAtom() {
    assertThat(SearchRoute.forCapabilities(List.of("IMAP4rev1", "SEARCH=FUZZY"))).isEqualTo(SearchRoute.SERVER_FUZZY);
  }

  @Test
  void dovecotSnippetAndPreviewFuzzyAreNotSearch() {
    assertThat(SearchRoute.forCapabilities(List.of("IMAP4rev1", "SNIPPET=FUZZY", "PREVIEW=FUZZY")))
        .isEqualTo(SearchRoute.SERVER_PLAIN);
  }
}
