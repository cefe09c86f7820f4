package dev.mailroom.health.status;

import dev.mailroom.events.EventCodec;
import dev.mailroom.events.connection.ConnectionEstablished;
import dev.mailroom.events.connection.ConnectionFailed;
import dev.mailroom.events.status.AccountStatusChanged;
import dev.mailroom.health.config.HealthConfig;
import dev.mailroom.health.connection.AccountHealth;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.MDC;

/**
 * Applies {@link StatusRules} to the stored rows. Every change locks the account's row, so the
 * consumer and the sweep cannot both declare the same streak disconnected, and writes the event
 * into the outbox in the same transaction.
 */
@ApplicationScoped
public class AccountStatusService {

  private final StatusRules rules;
  private final Clock clock;

  AccountStatusService(HealthConfig config, Clock clock) {
    this.rules = new StatusRules(config.disconnectAfter());
    this.clock = clock;
  }

  @Transactional
  public void established(ConnectionEstablished event) {
    AccountHealth h = current(event.accountId().value(), event.at());
    if (h != null) {
      announce(rules.connected(h, event));
      h.persist();
    }
  }

  @Transactional
  public void failed(ConnectionFailed event) {
    AccountHealth h = current(event.accountId().value(), event.at());
    if (h != null) {
      announce(rules.failed(h, event));
      h.persist();
    }
  }

  /** Disconnects every account whose failure streak has lasted the whole window by now. */
  @Transactional
  public int sweep() {
    Instant now = clock.instant();
    List<AccountHealth> candidates =
        AccountHealth.<AccountHealth>find(
                "state in ('degraded', 'reconnecting') and failingSince is not null")
            .withLock(LockModeType.PESSIMISTIC_WRITE)
            .list();
    int disconnected = 0;
    for (AccountHealth h : candidates) {
      Optional<AccountStatusChanged> change = rules.check(h, now);
      if (change.isPresent()) {
        announce(change);
        disconnected++;
      }
    }
    return disconnected;
  }

  /**
   * @return the new status event, or empty when the account is unknown or not disconnected
   */
  @Transactional
  public Optional<AccountStatusChanged> reconnect(UUID accountId) {
    AccountHealth h = AccountHealth.findById(accountId, LockModeType.PESSIMISTIC_WRITE);
    if (h == null) {
      return Optional.empty();
    }
    Optional<AccountStatusChanged> change = rules.reconnect(h, clock.instant());
    announce(change);
    return change;
  }

  /**
   * The account was deleted (a tombstone on the accounts topic): its row and unsent status events
   * go, and a tombstone is queued for the compacted account-status topic so that the account's last
   * status does not outlive it there. Applying it twice changes nothing more.
   */
  @Transactional
  public void forget(dev.mailroom.events.model.AccountId accountId) {
    UUID id = accountId.value();
    long rows = AccountHealth.delete("accountId", id);
    StatusOutbox.delete("accountId", id);
    if (rows > 0) {
      StatusOutbox tombstone = new StatusOutbox();
      tombstone.accountId = id;
      tombstone.eventId = "deleted:" + id;
      tombstone.payload = null;
      tombstone.persist();
      Log.infof("account %s deleted: its health is forgotten", accountId);
    }
  }

  private static void announce(Optional<AccountStatusChanged> change) {
    change.ifPresent(
        event -> {
          MDC.put("accountId", event.accountId().toString());
          try {
            Log.infof(
                "account is now %s (since %s, reason %s)",
                event.status(), event.since(), event.reason());
          } finally {
            MDC.remove("accountId");
          }
          StatusOutbox row = new StatusOutbox();
          row.accountId = event.accountId().value();
          row.eventId = event.eventId();
          row.payload = EventCodec.encode(event);
          row.persist();
        });
  }

  /** The row to update, or null when the event is older than what the row already says. */
  private static AccountHealth current(UUID accountId, Instant at) {
    AccountHealth health = AccountHealth.findById(accountId, LockModeType.PESSIMISTIC_WRITE);
    if (health == null) {
      health = new AccountHealth();
      health.accountId = accountId;
      health.capabilities = new String[0];
      return health;
    }
    return health.lastEventAt.isAfter(at) ? null : health;
  }
}
