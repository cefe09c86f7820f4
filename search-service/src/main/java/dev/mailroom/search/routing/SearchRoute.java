package dev.mailroom.search.routing;

import java.util.Collection;

/**
 * Which route a search takes, decided by what the account's server can do (BRIEF §5). Capability
 * atoms are matched whole: Dovecot also advertises SNIPPET=FUZZY and PREVIEW=FUZZY, which say
 * nothing about search.
 */
public enum SearchRoute {
  /** RFC 6203: the server ranks by relevance. */
  SERVER_FUZZY,
  /** Plain RFC 9051 SEARCH on the server. */
  SERVER_PLAIN;

  public static SearchRoute forCapabilities(Collection<String> capabilities) {
    return capabilities.stream().anyMatch("SEARCH=FUZZY"::equalsIgnoreCase) ? SERVER_FUZZY : SERVER_PLAIN;
  }
}
