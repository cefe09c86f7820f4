package dev.mailroom.sync;

import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.events.account.ImapEndpoint;
import dev.mailroom.events.account.Security;
import dev.mailroom.events.mail.FlagsChanged;
import dev.mailroom.events.mail.MailboxChanged;
import dev.mailroom.events.mail.MailboxStatus;
import dev.mailroom.events.mail.MessageAdded;
import dev.mailroom.events.mail.MessageExpunged;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.EmailAddress;
import dev.mailroom.events.model.EncryptedSecret;
import dev.mailroom.events.model.MailboxPath;
import dev.mailroom.events.model.ModSeq;
import dev.mailroom.events.model.Uid;
import dev.mailroom.events.model.UidValidity;
import java.time.Instant;
import java.util.List;

/** Events as the connector would emit them, for one account. */
public final class StoreFixtures {

  static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

  private StoreFixtures() {}

  static AccountDefined account(AccountId id, String owner) {
    return new AccountDefined(
        id,
        owner,
        "Test",
        "t@example.com",
        new ImapEndpoint("imap.example.com", 993, Security.TLS, "t@example.com"),
        new EncryptedSecret("k", "bm9uY2U=", "c2VhbGVk"),
        T0,
        T0);
  }

  public static MessageAdded added(
      AccountId id, String mailbox, long uid, String identity, int minutes, String... flags) {
    return new MessageAdded(
        id,
        MailboxPath.of(mailbox),
        UidValidity.of(7),
        Uid.of(uid),
        ModSeq.of(uid),
        identity,
        "<" + identity + "@example.com>",
        "Subject " + identity,
        List.of(new EmailAddress("Sender", "sender@example.com")),
        List.of(),
        List.of(),
        T0.plusSeconds(60L * minutes),
        T0.plusSeconds(60L * minutes),
        1000 + uid,
        List.of(flags),
        null,
        List.of());
  }

  static MailboxStatus status(
      AccountId id, String mailbox, long uidNext, long messages, long unseen) {
    return new MailboxStatus(
        id,
        MailboxPath.of(mailbox),
        "/",
        mailbox.equals("Archive") ? "archive" : null,
        UidValidity.of(7),
        uidNext,
        ModSeq.of(uidNext),
        messages,
        unseen,
        T0);
  }

  static MessageAdded addedAt(
      AccountId id,
      String mailbox,
      long uidValidity,
      long uid,
      long modSeq,
      String identity,
      String... flags) {
    return new MessageAdded(
        id,
        MailboxPath.of(mailbox),
        UidValidity.of(uidValidity),
        Uid.of(uid),
        ModSeq.of(modSeq),
        identity,
        "<" + identity + "@example.com>",
        "Subject " + identity,
        List.of(new EmailAddress("Sender", "sender@example.com")),
        List.of(),
        List.of(),
        T0.plusSeconds(uid),
        T0.plusSeconds(60L * uid),
        1000 + uid,
        List.of(flags),
        null,
        List.of());
  }

  public static FlagsChanged flags(
      AccountId id, String mailbox, long uidValidity, long uid, long modSeq, String... flags) {
    return new FlagsChanged(
        id,
        MailboxPath.of(mailbox),
        UidValidity.of(uidValidity),
        Uid.of(uid),
        ModSeq.of(modSeq),
        List.of(flags),
        T0);
  }

  static MessageExpunged expunged(AccountId id, String mailbox, long uidValidity, long uid) {
    return new MessageExpunged(
        id, MailboxPath.of(mailbox), UidValidity.of(uidValidity), Uid.of(uid), T0);
  }

  static MailboxChanged renamed(AccountId id, String from, String to, long uidValidity) {
    return new MailboxChanged(
        id,
        MailboxChanged.Change.RENAMED,
        MailboxPath.of(to),
        MailboxPath.of(from),
        UidValidity.of(uidValidity),
        null,
        T0);
  }

  static MailboxChanged reset(AccountId id, String mailbox, long previous, long next) {
    return new MailboxChanged(
        id,
        MailboxChanged.Change.RESET,
        MailboxPath.of(mailbox),
        null,
        UidValidity.of(next),
        UidValidity.of(previous),
        T0);
  }

  static MailboxStatus statusAt(
      AccountId id,
      String mailbox,
      long uidValidity,
      long uidNext,
      long modSeq,
      long messages,
      long unseen) {
    return new MailboxStatus(
        id,
        MailboxPath.of(mailbox),
        "/",
        null,
        UidValidity.of(uidValidity),
        uidNext,
        ModSeq.of(modSeq),
        messages,
        unseen,
        T0.plusSeconds(modSeq));
  }

  static String identity(int n) {
    return "mid:" + String.format("%064x", n);
  }
}
