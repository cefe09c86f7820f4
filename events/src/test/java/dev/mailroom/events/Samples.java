package dev.mailroom.events;

import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.events.account.ImapEndpoint;
import dev.mailroom.events.account.Security;
import dev.mailroom.events.account.SmtpEndpoint;
import dev.mailroom.events.command.CommandAction;
import dev.mailroom.events.command.CommandRequested;
import dev.mailroom.events.command.CommandTarget;
import dev.mailroom.events.command.FlagEdit;
import dev.mailroom.events.connection.ConnectionEstablished;
import dev.mailroom.events.connection.ConnectionFailed;
import dev.mailroom.events.connection.FailureCategory;
import dev.mailroom.events.mail.CommandApplied;
import dev.mailroom.events.mail.CommandFailed;
import dev.mailroom.events.mail.FlagsChanged;
import dev.mailroom.events.mail.MailboxChanged;
import dev.mailroom.events.mail.MailboxStatus;
import dev.mailroom.events.mail.MessageAdded;
import dev.mailroom.events.mail.MessageExpunged;
import dev.mailroom.events.mail.MessageSkipped;
import dev.mailroom.events.mail.SyncProgress;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.EmailAddress;
import dev.mailroom.events.model.EncryptedSecret;
import dev.mailroom.events.model.MailboxPath;
import dev.mailroom.events.model.ModSeq;
import dev.mailroom.events.model.Uid;
import dev.mailroom.events.model.UidValidity;
import dev.mailroom.events.search.SearchReplied;
import dev.mailroom.events.search.SearchRequested;
import dev.mailroom.events.search.SearchTerm;
import dev.mailroom.events.status.AccountStatus;
import dev.mailroom.events.status.AccountStatusChanged;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** One sample of each contract; its golden JSON is {@code fixtures/<ce type>.json}. */
final class Samples {

  static final AccountId ACCOUNT = AccountId.of("6f1c7a52-93d4-4b0e-8a51-2f0f4c3b9d10");

  static final String COMMAND = "0d9b7c1e-5a3f-8b2d-9e4c-1f6a8b0c2d4e";

  static final Map<EventType, MailroomEvent> BY_TYPE = new EnumMap<>(EventType.class);

  static {
    java.util.UUID outboxId = java.util.UUID.fromString("0b7e2c4a-5d1f-4e8a-9c3b-7a6d5e4f3c2b");
    String outboxMessageId = "<0b7e2c4a-5d1f-4e8a-9c3b-7a6d5e4f3c2b@example.com>";
    BY_TYPE.put(
        EventType.SEND_REQUESTED,
        new dev.mailroom.events.outbox.SendRequested(
            ACCOUNT, outboxId, outboxMessageId, 48213, Instant.parse("2026-12-06T10:00:00Z")));
    BY_TYPE.put(
        EventType.MESSAGE_SENT,
        new dev.mailroom.events.outbox.MessageSent(
            ACCOUNT,
            outboxId,
            outboxMessageId,
            "250 2.0.0 Ok: queued as 4XkLmN2bQzz",
            2,
            "Sent",
            null,
            Instant.parse("2026-12-06T10:00:03Z")));
    BY_TYPE.put(
        EventType.MESSAGE_SEND_FAILED,
        new dev.mailroom.events.outbox.MessageSendFailed(
            ACCOUNT,
            outboxId,
            outboxMessageId,
            false,
            421,
            "421 4.3.2 Service shutting down",
            1,
            Instant.parse("2026-12-06T10:00:02Z"),
            Instant.parse("2026-12-06T10:00:01Z")));
    BY_TYPE.put(
        EventType.ACCOUNT_DEFINED,
        new AccountDefined(
            ACCOUNT,
            "8d2f5a40-1c9e-4e7b-b3a6-0c5d7e9f1a23",
            "Support inbox",
            "support@example.com",
            new ImapEndpoint(
                "imap.example.com",
                993,
                Security.TLS,
                "support@example.com",
                "5f2b0e6c4a8d1e3f7a9b2c4d6e8f0a1b3c5d7e9f1a2b4c6d8e0f2a4b6c8d0e2f"),
            new EncryptedSecret(
                "local-1", "q83vEjRWeJCrze8S", "c2VhbGVkLWJ5LWFlcy1nY20tMTI4LXRhZw=="),
            Instant.parse("2026-11-26T09:00:00Z"),
            Instant.parse("2026-11-20T08:30:00Z"),
            new SmtpEndpoint(
                "smtp.example.com", 587, Security.STARTTLS, "support@example.com", null, false),
            new EncryptedSecret("local-1", "Zm9yLXNtdHAtb25seQ", "c210cC1wYXNzd29yZC1zZWFsZWQ=")));
    BY_TYPE.put(
        EventType.MESSAGE_ADDED,
        new MessageAdded(
            ACCOUNT,
            MailboxPath.INBOX,
            UidValidity.of(1732600000L),
            Uid.of(4294967295L),
            ModSeq.of(9007199254740993L),
            "mid:3b4f2c1d9e8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c",
            "<reply-2@example.com>",
            "Re: Quarterly report",
            List.of(new EmailAddress("Ada Lovelace", "ada@example.com")),
            List.of(new EmailAddress(null, "support@example.com")),
            List.of(),
            Instant.parse("2026-11-25T17:45:00Z"),
            Instant.parse("2026-11-25T17:45:03Z"),
            4242,
            List.of("\\Seen", "$Important"),
            "<report-1@example.com>",
            List.of("<report-1@example.com>"),
            "Thanks Ada, the numbers look right. One question on",
            "Thanks Ada, the numbers look right. One question on Q3.\n",
            null,
            List.of(new MessageAdded.Attachment("2", "q3.pdf", "application/pdf", 183211)),
            List.of("textBody")));
    BY_TYPE.put(
        EventType.FLAGS_CHANGED,
        new FlagsChanged(
            ACCOUNT,
            MailboxPath.INBOX,
            UidValidity.of(1732600000L),
            Uid.of(4294967295L),
            ModSeq.of(9007199254740999L),
            List.of("\\Seen", "\\Flagged"),
            Instant.parse("2026-11-26T09:10:00Z")));
    BY_TYPE.put(
        EventType.MESSAGE_EXPUNGED,
        new MessageExpunged(
            ACCOUNT,
            MailboxPath.INBOX,
            UidValidity.of(1732600000L),
            Uid.of(17),
            Instant.parse("2026-11-26T09:11:00Z")));
    BY_TYPE.put(
        EventType.MESSAGE_SKIPPED,
        new MessageSkipped(
            ACCOUNT,
            MailboxPath.of("Archive/2026"),
            UidValidity.of(1732600001L),
            Uid.of(3),
            "BODYSTRUCTURE unparsable: truncated literal",
            Instant.parse("2026-11-26T09:12:00Z")));
    BY_TYPE.put(
        EventType.MAILBOX_CHANGED,
        new MailboxChanged(
            ACCOUNT,
            MailboxChanged.Change.RESET,
            MailboxPath.of("Archive/2026"),
            null,
            UidValidity.of(1732700000L),
            UidValidity.of(1732600001L),
            Instant.parse("2026-11-26T09:13:00Z")));
    BY_TYPE.put(
        EventType.SYNC_PROGRESS,
        new SyncProgress(
            ACCOUNT,
            MailboxPath.INBOX,
            UidValidity.of(1732600000L),
            420,
            1000,
            Instant.parse("2026-11-26T09:00:03Z")));
    BY_TYPE.put(
        EventType.MAILBOX_STATUS,
        new MailboxStatus(
            ACCOUNT,
            MailboxPath.of("Archive/2026"),
            "/",
            "archive",
            UidValidity.of(1732600001L),
            1001,
            ModSeq.of(5120),
            1000,
            12,
            Instant.parse("2026-11-26T09:00:05Z")));
    BY_TYPE.put(
        EventType.CONNECTION_ESTABLISHED,
        new ConnectionEstablished(
            ACCOUNT,
            List.of("IMAP4rev1", "IDLE", "CONDSTORE", "QRESYNC", "NOTIFY", "SEARCH=FUZZY"),
            Instant.parse("2026-11-26T09:00:01Z")));
    BY_TYPE.put(
        EventType.CONNECTION_FAILED,
        new ConnectionFailed(
            ACCOUNT,
            FailureCategory.AUTHENTICATION_FAILED,
            "[AUTHENTICATIONFAILED] Authentication failed.",
            Instant.parse("2026-11-26T09:00:02Z")));
    BY_TYPE.put(
        EventType.ACCOUNT_STATUS_CHANGED,
        new AccountStatusChanged(
            ACCOUNT,
            AccountStatus.DISCONNECTED,
            Instant.parse("2026-11-26T09:00:02Z"),
            FailureCategory.HOST_UNREACHABLE,
            "Connection refused",
            Instant.parse("2026-11-26T09:30:02Z")));
    BY_TYPE.put(
        EventType.COMMAND_REQUESTED,
        new CommandRequested(
            ACCOUNT,
            COMMAND,
            CommandAction.FLAGS,
            List.of(
                new CommandTarget(
                    MailboxPath.INBOX,
                    UidValidity.of(1732600000L),
                    Uid.of(4294967295L),
                    ModSeq.of(9007199254740999L),
                    List.of("\\Flagged"))),
            new FlagEdit(List.of("\\Seen", "$Important"), List.of("\\Flagged")),
            null,
            null,
            "a4f1-retry-key",
            "8d2f5a40-1c9e-4e7b-b3a6-0c5d7e9f1a23",
            Instant.parse("2026-11-26T09:12:00Z"),
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"));
    BY_TYPE.put(
        EventType.COMMAND_APPLIED,
        new CommandApplied(ACCOUNT, COMMAND, 1, 0, Instant.parse("2026-11-26T09:12:01Z")));
    BY_TYPE.put(
        EventType.COMMAND_FAILED,
        new CommandFailed(
            ACCOUNT,
            COMMAND,
            CommandFailed.Reason.SERVER_REFUSED,
            "NO [CANNOT] Mailbox is read-only",
            0,
            Instant.parse("2026-11-26T09:12:01Z")));
    BY_TYPE.put(
        EventType.SEARCH_REQUESTED,
        new SearchRequested(
            ACCOUNT,
            "0b7e4c1a-5d2f-4e8a-9c3b-6a1d2e3f4b5c",
            MailboxPath.INBOX,
            List.of(
                new SearchTerm(SearchTerm.Kind.WORD, "kangarro", false),
                new SearchTerm(SearchTerm.Kind.FROM, "Anna Smith", false),
                new SearchTerm(SearchTerm.Kind.UNREAD, null, true)),
            true,
            100,
            Instant.parse("2026-11-26T09:40:00Z"),
            Instant.parse("2026-11-26T09:40:02Z")));
    BY_TYPE.put(
        EventType.SEARCH_REPLIED,
        new SearchReplied(
            ACCOUNT,
            "0b7e4c1a-5d2f-4e8a-9c3b-6a1d2e3f4b5c",
            "server-fuzzy",
            List.of(
                new SearchReplied.Hit(
                    MailboxPath.INBOX, UidValidity.of(1732600000L), Uid.of(4294967295L), 97),
                new SearchReplied.Hit(
                    MailboxPath.INBOX, UidValidity.of(1732600000L), Uid.of(12), null)),
            true,
            null,
            41,
            Instant.parse("2026-11-26T09:40:00.041Z")));
  }

  private Samples() {}
}
