package dev.mailroom.health.status;

import dev.mailroom.events.connection.ConnectionEstablished;
import dev.mailroom.events.connection.ConnectionFailed;
import dev.mailroom.events.connection.FailureCategory;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.status.AccountStatus;
import dev.mailroom.events.status.AccountStatusChanged;
import dev.mailroom.health.connection.AccountHealth;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The status rules, free of I/O: each method updates the account's row and returns the event to
 * announce, only when the status really changed (one notification per change, never one per failed
 * attempt).
 *
 * <pre>
 *   (new) --ok--> connected --fail--> degraded --window elapsed--> disconnected
 *                    ^                    |                              |
 *                    +-------ok-----------+          owner: reconnect    v
 *                    +-------ok------------------------------------ reconnecting --fail--> degraded
 * </pre>
 *
 * A disconnected account stays disconnected whatever failures still trickle in; only a success or
 * the owner's reconnect moves it.
 */
public final class StatusRules {

  public static final String CONNECTED = "connected";
  public static final String DEGRADED = "degraded";
  public static final String DISCONNECTED = "disconnected";
  public static final String RECONNECTING = "reconnecting";

  private final Duration disconnectAfter;

  public StatusRules(Duration disconnectAfter) {
    this.disconnectAfter = disconnectAfter;
  }

  public Optional<AccountStatusChanged> connected(AccountHealth h, ConnectionEstablished event) {
    boolean changed = !CONNECTED.equals(h.state);
    h.state = CONNECTED;
    h.failingSince = null;
    h.disconnectedAt = null;
    h.lastEventAt = event.at();
    h.lastCategory = null;
    h.lastDetail = null;
    h.capabilities = event.capabilities().toArray(String[]::new);
    return changed
        ? Optional.of(changed(h, AccountStatus.CONNECTED, event.at(), event.at()))
        : Optional.empty();
  }

  public Optional<AccountStatusChanged> failed(AccountHealth h, ConnectionFailed event) {
    h.lastEventAt = event.at();
    h.lastCategory = event.category().name();
    h.lastDetail = event.detail();
    if (h.failingSince == null) {
      h.failingSince = event.at();
    }
    if (DISCONNECTED.equals(h.state)) {
      return Optional.empty();
    }
    if (expired(h, event.at())) {
      return Optional.of(disconnect(h, event.at()));
    }
    if (DEGRADED.equals(h.state)) {
      return Optional.empty();
    }
    h.state = DEGRADED;
    return Optional.of(changed(h, AccountStatus.DEGRADED, h.failingSince, event.at()));
  }

  /** The sweep: a degraded account whose streak has lasted the whole window is disconnected. */
  public Optional<AccountStatusChanged> check(AccountHealth h, Instant now) {
    if ((DEGRADED.equals(h.state) || RECONNECTING.equals(h.state)) && expired(h, now)) {
      return Optional.of(disconnect(h, now));
    }
    return Optional.empty();
  }

  /**
   * The owner asked to reconnect: a new streak starts now, so the connector gets a whole window
   * before the account is disconnected again.
   *
   * @return empty when the account is not disconnected (nothing to do)
   */
  public Optional<AccountStatusChanged> reconnect(AccountHealth h, Instant now) {
    if (!DISCONNECTED.equals(h.state)) {
      return Optional.empty();
    }
    h.state = RECONNECTING;
    h.failingSince = now;
    h.disconnectedAt = null;
    return Optional.of(changed(h, AccountStatus.RECONNECTING, now, now));
  }

  private boolean expired(AccountHealth h, Instant now) {
    return h.failingSince != null && !now.isBefore(h.failingSince.plus(disconnectAfter));
  }

  private AccountStatusChanged disconnect(AccountHealth h, Instant now) {
    h.state = DISCONNECTED;
    h.disconnectedAt = now;
    return changed(h, AccountStatus.DISCONNECTED, h.failingSince, now);
  }

  private static AccountStatusChanged changed(
      AccountHealth h, AccountStatus status, Instant since, Instant at) {
    FailureCategory reason =
        h.lastCategory == null ? null : FailureCategory.valueOf(h.lastCategory);
    return new AccountStatusChanged(
        AccountId.of(h.accountId.toString()), status, since, reason, h.lastDetail, at);
  }
}
