package dev.mailroom.events.connection;

import dev.mailroom.events.EventIds;
import dev.mailroom.events.EventType;
import dev.mailroom.events.model.AccountId;
import java.time.Instant;

/**
 * A connection attempt failed. {@code detail} is the server's or the TLS stack's own words, never a
 * credential.
 */
public record ConnectionFailed(
    AccountId accountId, FailureCategory category, String detail, Instant at)
    implements ConnectionEvent {

  @Override
  public String eventId() {
    return EventIds.of(EventType.CONNECTION_FAILED.ceType(), accountId, category, at);
  }
}
