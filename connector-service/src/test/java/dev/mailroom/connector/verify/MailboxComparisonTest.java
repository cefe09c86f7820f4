package dev.mailroom.connector.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The rules of "same mailbox", without a server. */
class MailboxComparisonTest {

  private static InboxSample sample(long uidValidity, Object... uidAndId) {
    TreeMap<Long, String> ids = new TreeMap<>();
    for (int i = 0; i < uidAndId.length; i += 2) {
      ids.put(((Number) uidAndId[i]).longValue(), (String) uidAndId[i + 1]);
    }
    return new InboxSample(uidValidity, ids);
  }

  @Test
  void sameUidValidityAndSameMessageIdsUnderTheSameUidsIsTheSameMailbox() {
    var verdict =
        MailboxComparison.compare(
            sample(7, 1, "<a@x>", 2, "<b@x>"), sample(7, 1, "<a@x>", 2, "<b@x>"));
    assertThat(verdict.same()).isTrue();
    assertThat(verdict.reason()).contains("2 of the newest 2");
  }

  @Test
  void anotherUidValidityIsAnotherMailboxEvenWithTheSameMessages() {
    var verdict = MailboxComparison.compare(sample(7, 1, "<a@x>"), sample(8, 1, "<a@x>"));
    assertThat(verdict.same()).isFalse();
    assertThat(verdict.reason())
        .contains("different mailbox", "UIDVALIDITY", "connect it as a new account");
  }

  @Test
  void theSameUidValidityByChanceIsCaughtByTheMessageIds() {
    var verdict =
        MailboxComparison.compare(
            sample(7, 1, "<a@x>", 2, "<b@x>"), sample(7, 1, "<a@x>", 2, "<other@y>"));
    assertThat(verdict.same()).isFalse();
    assertThat(verdict.reason()).contains("UID 2", "another Message-ID");
  }

  @Test
  void oneMessageExpungedBetweenTheTwoLoginsIsTolerated() {
    var verdict =
        MailboxComparison.compare(
            sample(7, 1, "<a@x>", 2, "<b@x>", 3, "<c@x>"), sample(7, 1, "<a@x>", 3, "<c@x>"));
    assertThat(verdict.same()).isTrue();
  }

  @Test
  void mostOfTheSampleMissingIsAnotherMailbox() {
    var verdict =
        MailboxComparison.compare(
            sample(7, 1, "<a@x>", 2, "<b@x>", 3, "<c@x>"), sample(7, 3, "<c@x>"));
    assertThat(verdict.same()).isFalse();
    assertThat(verdict.reason()).contains("only 1 of the newest 3");
  }

  @Test
  void anEmptyInboxOrOneWithoutMessageIdsProvesNothing() {
    assertThat(MailboxComparison.compare(sample(7), sample(7)).same()).isFalse();
    var verdict = MailboxComparison.compare(sample(7, 1, null), sample(7, 1, null));
    assertThat(verdict.same()).isFalse();
    assertThat(verdict.reason()).contains("no message with a Message-ID");
  }

  @Test
  void messagesWithoutMessageIdAreSkippedNotCountedAgainst() {
    var verdict = MailboxComparison.compare(sample(7, 1, null, 2, "<b@x>"), sample(7, 2, "<b@x>"));
    assertThat(verdict.same()).isTrue();
  }
}
