package dev.mailroom.connector.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.events.search.SearchTerm;
import dev.mailroom.events.search.SearchTerm.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

class SearchReplyTest {

  @Test
  void esearchWithRelevancyPairsScoresWithTheUidsInOrder() {
    // As Dovecot 2.3.19 with fts_lucene answers RETURN (ALL RELEVANCY) FUZZY TEXT kangarro.
    SearchReply r =
        SearchReply.esearch(" (TAG \"DDNB4\") UID ALL 3,9,14:15 RELEVANCY (91 100 94 90)");
    assertThat(r.uids()).containsExactly(3, 9, 14, 15);
    assertThat(r.relevancy()).containsExactly(91, 100, 94, 90);
  }

  @Test
  void esearchWithoutMatchesHasNeitherAllNorScores() {
    SearchReply r = SearchReply.esearch(" (TAG \"KFCH4\") UID RELEVANCY ()");
    assertThat(r.uids()).isEmpty();
    assertThat(r.relevancy()).isEmpty();
    assertThat(SearchReply.esearch(" (TAG \"A1\") UID").uids()).isEmpty();
  }

  @Test
  void esearchSkipsOtherReturnData() {
    SearchReply r = SearchReply.esearch(" (TAG \"A1\") UID MIN 2 COUNT 2 ALL 2,7 MODSEQ 917");
    assertThat(r.uids()).containsExactly(2, 7);
    assertThat(r.relevancy()).isNull();
  }

  @Test
  void aScoreCountThatDoesNotMatchIsRefused() {
    assertThatThrownBy(() -> SearchReply.esearch(" (TAG \"A1\") UID ALL 1:3 RELEVANCY (1 2)"))
        .hasMessageContaining("2 scores for 3 UIDs");
  }

  @Test
  void plainSearch() {
    assertThat(SearchReply.plain(" 9 3 12").uids()).containsExactly(3, 9, 12);
    assertThat(SearchReply.plain("").uids()).isEmpty();
  }

  @Test
  void keysQuoteEveryValueAndAddFuzzyOnlyWhenAllowed() {
    List<SearchTerm> terms =
        List.of(
            new SearchTerm(Kind.PHRASE, "a \"b\" c", false),
            new SearchTerm(Kind.FROM, "x)(", true),
            new SearchTerm(Kind.AFTER, "2026-01-05", false),
            new SearchTerm(Kind.HAS_ATTACHMENT, null, false),
            new SearchTerm(Kind.FLAGGED, null, false));
    assertThat(SearchKeys.of(terms, true, true).render())
        .isEqualTo(
            "RETURN (ALL RELEVANCY) FUZZY TEXT \"a \\\"b\\\" c\" NOT FROM \"x)(\" SENTSINCE 5-Jan-2026 "
                + "HEADER \"Content-Type\" \"multipart/mixed\" FLAGGED");
    assertThat(SearchKeys.of(terms, false, false).render())
        .doesNotContain("FUZZY")
        .doesNotContain("RETURN");
    assertThat(SearchKeys.of(terms, true, false).render())
        .as("RELEVANCY needs ESEARCH")
        .doesNotContain("RELEVANCY")
        .contains("FUZZY TEXT");
  }
}
