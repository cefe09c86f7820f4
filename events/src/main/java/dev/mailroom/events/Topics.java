package dev.mailroom.events;

import java.util.List;

/**
 * Every Kafka topic Mailroom uses. {@code deploy/topics.conf} creates them with their partition
 * count and retention; docs/topics.md says who produces and consumes each.
 */
public final class Topics {

  /** Which accounts exist: compacted, key = account id, a tombstone deletes the account. */
  public static final String ACCOUNTS = "mailroom.accounts.v1";

  /** What happened in the mailboxes: messages and mailbox state, key = account id. */
  public static final String MAIL = "mailroom.mail.v1";

  /** Connection attempts and their outcome, key = account id; read by health-service. */
  public static final String CONNECTION = "mailroom.connection.v1";

  /** Account status decided by health-service (connected, degraded, disconnected): compacted. */
  public static final String ACCOUNT_STATUS = "mailroom.account-status.v1";

  /**
   * What owners asked to change on their servers, key = account id: same partition count as the
   * accounts topic, so a command lands on the partition number of its account, and the connector
   * that holds that accounts partition applies it.
   */
  public static final String COMMANDS = "mailroom.commands.v1";

  /** Mail events that could not be applied, with the reason in a header. */
  public static final String MAIL_DEAD_LETTER = "mailroom.mail.dlq.v1";

  /** Server-side searches asked of the connector that holds the account, key = account id. */
  public static final String SEARCH_REQUESTS = "mailroom.search-requests.v1";

  /** The connector's answers to them, with the request's correlation id, key = account id. */
  public static final String SEARCH_REPLIES = "mailroom.search-replies.v1";

  /**
   * Outgoing mail, key = account id: send requests (a reference to the MIME in sync-service's
   * outbox, ADR 0006) and their outcomes, sent or failed, in order per account.
   */
  public static final String OUTBOX = "mailroom.outbox.v1";

  public static final List<String> ALL =
      List.of(
          ACCOUNTS,
          MAIL,
          CONNECTION,
          ACCOUNT_STATUS,
          MAIL_DEAD_LETTER,
          COMMANDS,
          SEARCH_REQUESTS,
          SEARCH_REPLIES,
          OUTBOX);

  private Topics() {}
}
