package dev.mailroom.search.routing;

import java.util.Collection;

/**
 * Which route a search takes, decided by what the account's server can do (BRIEF §5). Capability
 * atoms are matched whole: Dovecot also advertises SNIPPET=FUZZY and PREVIEW=FUZZY, which say
 * nothing about search.
 */
public enum SearchRoute {
  /** RFC 6203: the server searches with FUZZY and ranks by relevance where it has ESEARCH. */
  SERVER_FUZZY("server-fuzzy"),
  /** Plain SEARCH on the server: for mailboxes the local index does not hold entirely yet. */
  SERVER("server"),
  /** The local index (PostgreSQL full text with trigram neighbours). */
  LOCAL("local");

  private final String wireName;

  SearchRoute(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** SEARCH=FUZZY goes to the server; every other server's own search is the local index's job. */
  public static SearchRoute forCapabilities(Collection<String> capabilities) {
    return capabilities.stream().anyMatch("SEARCH=FUZZY"::equalsIgnoreCase) ? SERVER_FUZZY : LOCAL;
  }
}
