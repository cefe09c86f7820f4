package dev.mailroom.events.status;

import dev.mailroom.events.EventIds;
import dev.mailroom.events.EventType;
import dev.mailroom.events.connection.FailureCategory;
import dev.mailroom.events.model.AccountId;
import java.time.Instant;

/**
 * health-service changed an account's status. Travels on the compacted account-status topic, so the
 * latest record per account is its current status.
 *
 * @param since for {@code DISCONNECTED} and {@code DEGRADED}: the start of the failure streak; for
 *     {@code CONNECTED}: when the connection succeeded; for {@code RECONNECTING}: when the owner
 *     asked
 * @param reason the category of the last failure, when the status is about failures
 * @param detail the server's or TLS stack's own words for the last failure, never a credential
 */
public record AccountStatusChanged(
    AccountId accountId,
    AccountStatus status,
    Instant since,
    FailureCategory reason,
    String detail,
    Instant at)
    implements AccountStatusEvent {

  /**
   * One failure streak has one start, so its disconnect always gets the same id: a consumer sees a
   * re-sent disconnect as the duplicate it is.
   */
  @Override
  public String eventId() {
    return EventIds.of(EventType.ACCOUNT_STATUS_CHANGED.ceType(), accountId, status, since);
  }
}
