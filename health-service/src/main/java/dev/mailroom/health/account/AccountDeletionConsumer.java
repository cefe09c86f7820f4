package dev.mailroom.health.account;

import dev.mailroom.events.model.AccountId;
import dev.mailroom.health.connection.StoreRetry;
import dev.mailroom.health.status.AccountStatusService;
import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Forgets a deleted account: a tombstone on the accounts topic removes its health row and any
 * status event still waiting in the outbox, and queues a tombstone for the compacted account-status
 * topic, all in one transaction (see {@link AccountStatusService#forget}). Definitions themselves
 * are of no interest here: health follows connection events.
 */
@ApplicationScoped
public class AccountDeletionConsumer {

  private final AccountStatusService statuses;
  private final StoreRetry retry;

  AccountDeletionConsumer(AccountStatusService statuses, StoreRetry retry) {
    this.statuses = statuses;
    this.retry = retry;
  }

  @Incoming("accounts")
  @Blocking(ordered = true)
  public void consume(ConsumerRecord<String, byte[]> record) {
    if (record.value() != null) {
      return;
    }
    AccountId id;
    try {
      id = AccountId.of(record.key());
    } catch (IllegalArgumentException | NullPointerException e) {
      Log.errorf(
          "skipping account tombstone with a bad key at %d@%d",
          record.partition(), record.offset());
      return;
    }
    retry.run(() -> statuses.forget(id));
  }
}
