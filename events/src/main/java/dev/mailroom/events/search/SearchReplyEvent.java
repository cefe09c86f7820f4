package dev.mailroom.events.search;

import dev.mailroom.events.MailroomEvent;

/**
 * An event of the search-replies topic ({@code mailroom.search-replies.v1}): the connector's answer
 * to a search request. One type so far, sealed all the same so that a switch names topics, not
 * records (see {@link MailroomEvent}).
 */
public sealed interface SearchReplyEvent extends MailroomEvent permits SearchReplied {}
