package dev.mailroom.events.account;

import dev.mailroom.events.MailroomEvent;

/**
 * An event of the accounts topic ({@code mailroom.accounts.v1}): an account's definition; a
 * tombstone, which is no event, deletes the account. One type so far, sealed all the same so that a
 * switch names topics, not records (see {@link MailroomEvent}).
 */
public sealed interface AccountEvent extends MailroomEvent permits AccountDefined {}
