package dev.mailroom.search.query;

import dev.mailroom.events.search.SearchTerm;
import java.util.List;

/**
 * A parsed query: the root of its tree is the conjunction of {@code terms}, each a leaf that may be
 * negated; {@code mailbox} ({@code in:}) scopes the search and is null for every mailbox. The
 * grammar has no OR and no grouping (query.md), so the tree is never deeper than that.
 */
public record SearchQuery(List<SearchTerm> terms, String mailbox) {

  public SearchQuery {
    terms = List.copyOf(terms);
  }

  /** Terms of one kind, in query order. */
  public List<SearchTerm> of(SearchTerm.Kind kind) {
    return terms.stream().filter(t -> t.kind() == kind).toList();
  }
}
