package dev.mailroom.connector.attachment;

import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.MailboxPath;
import dev.mailroom.events.model.Uid;
import dev.mailroom.events.model.UidValidity;
import java.util.regex.Pattern;

/**
 * One body part of one message, where the store last saw it: the mailbox, its UIDVALIDITY (a UID
 * names a message only within one UIDVALIDITY, RFC 9051 §2.3.1.1) and the part's section number
 * (RFC 9051 §6.4.5: dot-separated part numbers, such as {@code 2} or {@code 1.3}).
 */
public record PartRequest(
    AccountId account, MailboxPath mailbox, UidValidity uidValidity, Uid uid, String section) {

  /**
   * Part numbers only: HEADER, TEXT and MIME name no attachment, and nothing else may reach the
   * command.
   */
  private static final Pattern SECTION =
      Pattern.compile("[1-9][0-9]{0,4}(\\.[1-9][0-9]{0,4}){0,19}");

  public PartRequest {
    if (section == null || !SECTION.matcher(section).matches()) {
      throw new IllegalArgumentException(
          "section must be an IMAP part number such as 2 or 1.3 (RFC 9051 §6.4.5), not " + section);
    }
  }

  /**
   * @throws IllegalArgumentException naming the parameter that is missing or malformed
   */
  public static PartRequest parse(
      String account, String mailbox, String uidValidity, String uid, String section) {
    AccountId id;
    try {
      id = AccountId.of(account);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("the account id must be a UUID, not " + account);
    }
    if (mailbox == null || mailbox.isBlank()) {
      throw new IllegalArgumentException("mailbox is required (the mailbox path, e.g. INBOX)");
    }
    return new PartRequest(
        id,
        MailboxPath.of(mailbox),
        UidValidity.of(number("uidValidity", uidValidity)),
        Uid.of(number("uid", uid)),
        section);
  }

  private static long number(String name, String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be an unsigned 32-bit number, not " + value);
    }
  }
}
