package dev.mailroom.events.status;

import dev.mailroom.events.MailroomEvent;

/**
 * An event of the account-status topic ({@code mailroom.account-status.v1}): the status
 * health-service decided for an account. One type so far, sealed all the same so that a switch
 * names topics, not records (see {@link MailroomEvent}).
 */
public sealed interface AccountStatusEvent extends MailroomEvent permits AccountStatusChanged {}
