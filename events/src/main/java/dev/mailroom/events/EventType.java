package dev.mailroom.events;

import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.events.command.CommandRequested;
import dev.mailroom.events.connection.ConnectionEstablished;
import dev.mailroom.events.connection.ConnectionFailed;
import dev.mailroom.events.mail.CommandApplied;
import dev.mailroom.events.mail.CommandFailed;
import dev.mailroom.events.mail.FlagsChanged;
import dev.mailroom.events.mail.MailboxChanged;
import dev.mailroom.events.mail.MailboxStatus;
import dev.mailroom.events.mail.MessageAdded;
import dev.mailroom.events.mail.MessageExpunged;
import dev.mailroom.events.mail.MessageSkipped;
import dev.mailroom.events.mail.SyncProgress;
import dev.mailroom.events.outbox.MessageSendFailed;
import dev.mailroom.events.outbox.MessageSent;
import dev.mailroom.events.outbox.SendRequested;
import dev.mailroom.events.search.SearchReplied;
import dev.mailroom.events.search.SearchRequested;
import dev.mailroom.events.status.AccountStatusChanged;
import java.util.Arrays;
import java.util.Optional;

/**
 * The CloudEvents {@code type} of each contract and the topic it travels on. A breaking change to a
 * contract is a new type ending in {@code .v2}; within a version only additive changes are made.
 */
public enum EventType {
  ACCOUNT_DEFINED("mailroom.account.defined.v1", AccountDefined.class, Topics.ACCOUNTS),
  MESSAGE_ADDED("mailroom.message.added.v1", MessageAdded.class, Topics.MAIL),
  FLAGS_CHANGED("mailroom.message.flags-changed.v1", FlagsChanged.class, Topics.MAIL),
  MESSAGE_EXPUNGED("mailroom.message.expunged.v1", MessageExpunged.class, Topics.MAIL),
  MESSAGE_SKIPPED("mailroom.message.skipped.v1", MessageSkipped.class, Topics.MAIL),
  MAILBOX_STATUS("mailroom.mailbox.status.v1", MailboxStatus.class, Topics.MAIL),
  MAILBOX_CHANGED("mailroom.mailbox.changed.v1", MailboxChanged.class, Topics.MAIL),
  SYNC_PROGRESS("mailroom.sync.progress.v1", SyncProgress.class, Topics.MAIL),
  COMMAND_APPLIED("mailroom.command.applied.v1", CommandApplied.class, Topics.MAIL),
  COMMAND_FAILED("mailroom.command.failed.v1", CommandFailed.class, Topics.MAIL),
  COMMAND_REQUESTED("mailroom.command.requested.v1", CommandRequested.class, Topics.COMMANDS),
  CONNECTION_ESTABLISHED(
      "mailroom.connection.established.v1", ConnectionEstablished.class, Topics.CONNECTION),
  CONNECTION_FAILED("mailroom.connection.failed.v1", ConnectionFailed.class, Topics.CONNECTION),
  ACCOUNT_STATUS_CHANGED(
      "mailroom.account.status-changed.v1", AccountStatusChanged.class, Topics.ACCOUNT_STATUS),
  SEARCH_REQUESTED("mailroom.search.requested.v1", SearchRequested.class, Topics.SEARCH_REQUESTS),
  SEARCH_REPLIED("mailroom.search.replied.v1", SearchReplied.class, Topics.SEARCH_REPLIES),
  SEND_REQUESTED("mailroom.message.send-requested.v1", SendRequested.class, Topics.OUTBOX),
  MESSAGE_SENT("mailroom.message.sent.v1", MessageSent.class, Topics.OUTBOX),
  MESSAGE_SEND_FAILED("mailroom.message.send-failed.v1", MessageSendFailed.class, Topics.OUTBOX);

  /**
   * The CloudEvents {@code source} every Mailroom producer uses, suffixed with its service name.
   */
  public static final String SOURCE_PREFIX = "urn:mailroom:";

  private final String ceType;
  private final Class<? extends MailroomEvent> javaType;
  private final String topic;

  EventType(String ceType, Class<? extends MailroomEvent> javaType, String topic) {
    this.ceType = ceType;
    this.javaType = javaType;
    this.topic = topic;
  }

  public String ceType() {
    return ceType;
  }

  public Class<? extends MailroomEvent> javaType() {
    return javaType;
  }

  public String topic() {
    return topic;
  }

  /** The JSON schema of this type, on the classpath. */
  public String schemaResource() {
    return "/schemas/" + ceType + ".json";
  }

  public static Optional<EventType> fromCeType(String ceType) {
    return Arrays.stream(values()).filter(t -> t.ceType.equals(ceType)).findFirst();
  }

  public static EventType of(Class<? extends MailroomEvent> javaType) {
    return Arrays.stream(values())
        .filter(t -> t.javaType == javaType)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no event type for " + javaType));
  }
}
