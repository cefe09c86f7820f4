package dev.mailroom.connector.verify;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.mailroom.events.connection.FailureCategory;

/**
 * The answer to a {@link SameMailboxRequest}. {@code outcome} says which: {@code SAME}; {@code
 * DIFFERENT} (the reason says what differs); {@code CURRENT_FAILED} (the host in use could not be
 * logged in to, so there is nothing to compare with); {@code PROPOSED_FAILED} (the new host refused
 * the login). For the last two, category, detail, remedy and certificateSha256 are as for {@code
 * /internal/verify}. Never the password.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SameMailboxResult(
    Outcome outcome,
    String reason,
    FailureCategory category,
    String detail,
    String remedy,
    String certificateSha256) {

  public enum Outcome {
    SAME,
    DIFFERENT,
    CURRENT_FAILED,
    PROPOSED_FAILED
  }

  static SameMailboxResult of(MailboxComparison.Verdict verdict) {
    return new SameMailboxResult(
        verdict.same() ? Outcome.SAME : Outcome.DIFFERENT,
        verdict.reason(),
        null,
        null,
        null,
        null);
  }

  static SameMailboxResult failed(Outcome outcome, String reason, VerifyResult login) {
    return new SameMailboxResult(
        outcome,
        reason,
        login.category(),
        login.detail(),
        login.remedy(),
        login.certificateSha256());
  }
}
