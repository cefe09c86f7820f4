package dev.mailroom.events.connection;

import dev.mailroom.events.EventIds;
import dev.mailroom.events.EventType;
import dev.mailroom.events.model.AccountId;
import java.time.Instant;
import java.util.List;

/**
 * The connector logged in to the account's server; {@code capabilities} as the server sent them.
 */
public record ConnectionEstablished(AccountId accountId, List<String> capabilities, Instant at)
    implements ConnectionEvent {

  public ConnectionEstablished {
    capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
  }

  @Override
  public String eventId() {
    return EventIds.of(EventType.CONNECTION_ESTABLISHED.ceType(), accountId, at);
  }
}
