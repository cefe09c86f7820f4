package dev.mailroom.gateway.account;

import dev.mailroom.events.account.AccountDefined;

/**
 * A CDI event fired once the broker has acknowledged a new or changed definition, for whatever in
 * the gateway follows its own writes (see {@link StoreCatchUp}).
 */
public record AccountPublished(AccountDefined account) {}
