package dev.mailroom.connector.ownership;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.events.account.ImapEndpoint;
import dev.mailroom.events.account.Security;
import dev.mailroom.events.model.AccountId;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which definitions the ownership consumer takes for accounts that have never published. */
class NewAccountsTest {

  static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

  final NewAccounts accounts = new NewAccounts();

  @Test
  void aFirstDefinitionBeyondThePartitionsEndAtAssignmentIsNew() {
    accounts.assigned(Map.of(0, 10L));
    AccountId id = AccountId.random();
    assertThat(accounts.read(id, 0, 10, created(id, NOW.minusSeconds(1)), NOW)).isTrue();
    // The same account defined again (its display name, say) has a session that published.
    assertThat(accounts.read(id, 0, 11, created(id, NOW.minusSeconds(1)), NOW)).isFalse();
  }

  @Test
  void aDefinitionReadWhileCatchingUpIsNotNew() {
    accounts.assigned(Map.of(0, 10L));
    AccountId id = AccountId.random();
    assertThat(accounts.read(id, 0, 9, created(id, NOW), NOW)).isFalse();
  }

  @Test
  void anAccountDefinedBeforeAndDefinedAgainLiveIsNotNew() {
    accounts.assigned(Map.of(0, 10L));
    AccountId id = AccountId.random();
    accounts.read(id, 0, 3, created(id, NOW), NOW);
    assertThat(accounts.read(id, 0, 12, created(id, NOW), NOW)).isFalse();
  }

  @Test
  void aDefinitionAfterATombstoneOfTheSameAccountIsNotNew() {
    accounts.assigned(Map.of(0, 10L));
    AccountId id = AccountId.random();
    accounts.read(id, 0, 11, null, NOW);
    assertThat(accounts.read(id, 0, 12, created(id, NOW), NOW)).isFalse();
  }

  @Test
  void anOldAccountPublishedAgainIsNotNew() {
    accounts.assigned(Map.of(0, 10L));
    AccountId id = AccountId.random();
    Instant longAgo = NOW.minus(NewAccounts.RECENT).minus(Duration.ofMinutes(1));
    assertThat(accounts.read(id, 0, 10, created(id, longAgo), NOW)).isFalse();
    AccountId undated = AccountId.random();
    assertThat(accounts.read(undated, 0, 11, created(undated, null), NOW)).isFalse();
  }

  @Test
  void nothingIsNewOnAPartitionNotHeldOrAfterTheConsumerWasReplaced() {
    accounts.assigned(Map.of(0, 10L, 1, 5L));
    accounts.revoked(Set.of(1));
    AccountId id = AccountId.random();
    assertThat(accounts.read(id, 1, 20, created(id, NOW), NOW)).isFalse();
    accounts.reset();
    AccountId other = AccountId.random();
    assertThat(accounts.read(other, 0, 20, created(other, NOW), NOW)).isFalse();
  }

  private static AccountDefined created(AccountId id, Instant createdAt) {
    return new AccountDefined(
        id,
        "owner",
        "user",
        "user@example.com",
        new ImapEndpoint("imap.example.com", 993, Security.TLS, "user"),
        null,
        NOW,
        createdAt);
  }
}
