package dev.mailroom.health.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.events.connection.ConnectionEstablished;
import dev.mailroom.events.connection.ConnectionFailed;
import dev.mailroom.events.connection.FailureCategory;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.status.AccountStatus;
import dev.mailroom.events.status.AccountStatusChanged;
import dev.mailroom.health.connection.AccountHealth;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The status rules alone: one event per change, one disconnect per streak. */
class StatusRulesTest {

  private final StatusRules rules = new StatusRules(Duration.ofMinutes(30));
  private final AccountId id = AccountId.random();
  private final Instant t0 = Instant.parse("2026-11-26T08:00:00Z");

  private AccountHealth fresh() {
    AccountHealth h = new AccountHealth();
    h.accountId = id.value();
    return h;
  }

  private ConnectionFailed failure(Instant at) {
    return new ConnectionFailed(id, FailureCategory.HOST_UNREACHABLE, "Connection refused", at);
  }

  @Test
  void repeatedFailuresAnnounceDegradedOnceAndDisconnectOnceAtTheWindow() {
    AccountHealth h = fresh();
    assertThat(rules.failed(h, failure(t0)))
        .map(AccountStatusChanged::status)
        .contains(AccountStatus.DEGRADED);
    assertThat(rules.failed(h, failure(t0.plusSeconds(600)))).isEmpty();
    assertThat(rules.check(h, t0.plus(Duration.ofMinutes(30)).minusMillis(1))).isEmpty();
    Optional<AccountStatusChanged> disconnect = rules.check(h, t0.plus(Duration.ofMinutes(30)));
    assertThat(disconnect)
        .get()
        .satisfies(
            e -> {
              assertThat(e.status()).isEqualTo(AccountStatus.DISCONNECTED);
              assertThat(e.since()).isEqualTo(t0);
              assertThat(e.reason()).isEqualTo(FailureCategory.HOST_UNREACHABLE);
            });
    assertThat(rules.check(h, t0.plus(Duration.ofHours(5)))).isEmpty();
    assertThat(rules.failed(h, failure(t0.plus(Duration.ofHours(6))))).isEmpty();
    assertThat(h.state).isEqualTo("disconnected");
  }

  @Test
  void aFailureArrivingAfterTheWindowDisconnectsWithoutTheSweep() {
    AccountHealth h = fresh();
    rules.failed(h, failure(t0));
    assertThat(rules.failed(h, failure(t0.plus(Duration.ofMinutes(31)))))
        .map(AccountStatusChanged::status)
        .contains(AccountStatus.DISCONNECTED);
  }

  @Test
  void reconnectStartsANewWindowAndASuccessEndsIt() {
    AccountHealth h = fresh();
    rules.failed(h, failure(t0));
    rules.check(h, t0.plus(Duration.ofMinutes(30)));
    Instant pressed = t0.plus(Duration.ofHours(2));
    assertThat(rules.reconnect(h, pressed))
        .map(AccountStatusChanged::status)
        .contains(AccountStatus.RECONNECTING);
    assertThat(rules.reconnect(h, pressed)).isEmpty();
    assertThat(rules.failed(h, failure(pressed.plusSeconds(5))))
        .map(AccountStatusChanged::status)
        .contains(AccountStatus.DEGRADED);
    assertThat(rules.check(h, pressed.plus(Duration.ofMinutes(29)))).isEmpty();
    assertThat(
            rules.connected(
                h, new ConnectionEstablished(id, List.of("IMAP4rev1"), pressed.plusSeconds(60))))
        .map(AccountStatusChanged::status)
        .contains(AccountStatus.CONNECTED);
    assertThat(h.failingSince).isNull();
    assertThat(rules.check(h, pressed.plus(Duration.ofHours(3)))).isEmpty();
  }

  @Test
  void theDisconnectOfAStreakAlwaysHasTheSameEventId() {
    AccountHealth a = fresh();
    rules.failed(a, failure(t0));
    String first = rules.check(a, t0.plus(Duration.ofMinutes(30))).orElseThrow().eventId();
    AccountHealth b = fresh();
    rules.failed(b, failure(t0));
    String again = rules.check(b, t0.plus(Duration.ofMinutes(45))).orElseThrow().eventId();
    assertThat(again).isEqualTo(first);
  }
}
