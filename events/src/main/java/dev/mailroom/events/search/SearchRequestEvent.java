package dev.mailroom.events.search;

import dev.mailroom.events.MailroomEvent;

/**
 * An event of the search-requests topic ({@code mailroom.search-requests.v1}): a search asked of
 * the connector that holds the account. One type so far, sealed all the same so that a switch names
 * topics, not records (see {@link MailroomEvent}).
 */
public sealed interface SearchRequestEvent extends MailroomEvent permits SearchRequested {}
