package dev.mailroom.search.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.events.search.SearchTerm;
import dev.mailroom.events.search.SearchTerm.Kind;
import org.junit.jupiter.api.Test;

class QueryParserTest {

  @Test
  void wordsPhrasesFieldsFlagsDatesNegationAndMailbox() {
    SearchQuery q =
        QueryParser.parse(
            "invoice \"quarterly report\" from:anna to:\"Bob Smith\" cc:ops SUBJECT:budget has:attachment "
                + "is:unread -is:flagged before:2026-03-01 after:2026-01-01 -draft in:Archive");
    assertThat(q.mailbox()).isEqualTo("Archive");
    assertThat(q.terms())
        .containsExactly(
            new SearchTerm(Kind.WORD, "invoice", false),
            new SearchTerm(Kind.PHRASE, "quarterly report", false),
            new SearchTerm(Kind.FROM, "anna", false),
            new SearchTerm(Kind.TO, "Bob Smith", false),
            new SearchTerm(Kind.CC, "ops", false),
            new SearchTerm(Kind.SUBJECT, "budget", false),
            new SearchTerm(Kind.HAS_ATTACHMENT, null, false),
            new SearchTerm(Kind.UNREAD, null, false),
            new SearchTerm(Kind.FLAGGED, null, true),
            new SearchTerm(Kind.BEFORE, "2026-03-01", false),
            new SearchTerm(Kind.AFTER, "2026-01-01", false),
            new SearchTerm(Kind.WORD, "draft", true));
  }

  @Test
  void aColonAfterSomethingOtherThanAFieldNameStaysInTheWord() {
    assertThat(QueryParser.parse("meeting 10:30 \"foo:bar\"").terms())
        .containsExactly(
            new SearchTerm(Kind.WORD, "meeting", false),
            new SearchTerm(Kind.WORD, "10:30", false),
            new SearchTerm(Kind.WORD, "foo:bar", false));
  }

  @Test
  void isReadIsTheNegationOfUnreadAndALoneDashIsNotANegation() {
    assertThat(QueryParser.parse("is:read - x").terms())
        .containsExactly(
            new SearchTerm(Kind.UNREAD, null, true),
            new SearchTerm(Kind.WORD, "-", false),
            new SearchTerm(Kind.WORD, "x", false));
  }

  @Test
  void imapSpecialCharactersAreJustText() {
    // Nothing here reaches IMAP as syntax: the connector quotes each value itself.
    assertThat(QueryParser.parse("a)b ( {5}").terms())
        .extracting(SearchTerm::value)
        .containsExactly("a)b", "(", "{5}");
  }

  @Test
  void emptyQueriesAreRefused() {
    assertThatThrownBy(() -> QueryParser.parse(""))
        .isInstanceOf(QueryException.class)
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> QueryParser.parse("   ")).hasMessageContaining("empty");
    assertThatThrownBy(() -> QueryParser.parse("\"\"")).hasMessageContaining("no term");
    assertThatThrownBy(() -> QueryParser.parse("in:INBOX"))
        .hasMessageContaining("searches nothing");
  }

  @Test
  void tooLongAndTooManyTermsAreRefused() {
    assertThatThrownBy(() -> QueryParser.parse("a".repeat(QueryParser.MAX_LENGTH + 1)))
        .hasMessageContaining("513 characters")
        .hasMessageContaining("at most 512");
    assertThatThrownBy(() -> QueryParser.parse("w ".repeat(QueryParser.MAX_TERMS + 1)))
        .hasMessageContaining("more than 24 terms");
  }

  @Test
  void unknownFieldsAndValuesAreNamed() {
    assertThatThrownBy(() -> QueryParser.parse("form:anna"))
        .hasMessageContaining("unknown field 'form:'")
        .hasMessageContaining("from:");
    assertThatThrownBy(() -> QueryParser.parse("has:pdf"))
        .hasMessageContaining("has:pdf is not known");
    assertThatThrownBy(() -> QueryParser.parse("is:important"))
        .hasMessageContaining("is:important");
    assertThatThrownBy(() -> QueryParser.parse("before:yesterday"))
        .hasMessageContaining("yyyy-MM-dd");
    assertThatThrownBy(() -> QueryParser.parse("from: anna"))
        .hasMessageContaining("from: needs a value");
    assertThatThrownBy(() -> QueryParser.parse("\"open")).hasMessageContaining("never closed");
    assertThatThrownBy(() -> QueryParser.parse("-spam"))
        .hasMessageContaining("every term is negated");
    assertThatThrownBy(() -> QueryParser.parse("x -in:Trash")).hasMessageContaining("-in:");
    assertThatThrownBy(() -> QueryParser.parse("x in:A in:B")).hasMessageContaining("twice");
  }
}
