package dev.mailroom.connector.session;

import dev.mailroom.connector.checkpoint.CheckpointReader;
import dev.mailroom.connector.config.ConnectorConfig;
import dev.mailroom.connector.imap.ImapConnector;
import dev.mailroom.connector.publish.EventPublisher;
import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.events.crypto.SecretBox;
import dev.mailroom.events.model.AccountId;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The sessions this instance holds. Only the ownership consumer calls it, on its one thread, so a
 * start and a stop of the same account never race.
 */
@ApplicationScoped
public class SessionManager {

  private final ImapConnector connector;
  private final EventPublisher publisher;
  private final Clock clock;
  private final SessionSettings settings;
  private final SecretBox secrets;
  private final CheckpointReader checkpoints;
  private final Semaphore starts;
  private final Map<AccountId, Running> running = new ConcurrentHashMap<>();

  /** Public so that a test can run a second manager beside the bean, as a second instance would. */
  public SessionManager(
      ImapConnector connector,
      EventPublisher publisher,
      Clock clock,
      ConnectorConfig config,
      SecretBox secrets,
      MeterRegistry metrics,
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
    this.connector = connector;
    this.publisher = publisher;
    this.clock = clock;
    this.settings = SessionSettings.of(config.imap());
    this.secrets = secrets;
    this.checkpoints =
        new CheckpointReader(
            bootstrapServers, config.topic().mail(), config.imap().checkpointClockSkew());
    this.starts = new Semaphore(config.imap().concurrentStarts(), true);
    metrics.gauge("mailroom.connector.sessions", running, Map::size);
  }

  /**
   * Starts the account's session, or restarts it when its connection settings changed. A new
   * definition that changes only what the session does not log in with (its display name, say) is
   * handed to the running session: no new login (see {@link ConnectionSettings}).
   */
  public void hold(AccountDefined account, int partition) {
    hold(account, partition, false);
  }

  /**
   * @param isNew the account was just created and no session has ever run for it (see {@code
   *     NewAccounts}): there is nothing on the mail topic to resume from, and the session does not
   *     read it
   */
  public void hold(AccountDefined account, int partition, boolean isNew) {
    Running current = running.get(account.accountId());
    if (current != null && current.account().equals(account)) {
      return;
    }
    if (current != null) {
      if (current.account().definedAt().isAfter(account.definedAt())) {
        return; // an older definition read again after a rebalance
      }
      if (!ConnectionSettings.changed(current.account(), account)) {
        current.session().redefine(account);
        running.put(
            account.accountId(),
            new Running(account, partition, current.session(), current.thread()));
        Log.infof(
            "account %s redefined, connection settings unchanged: session kept",
            account.accountId());
        return;
      }
      Log.infof("account %s: connection settings changed, session restarted", account.accountId());
      stop(account.accountId());
    }
    var session =
        new AccountSession(
            account,
            connector,
            secrets,
            publisher,
            isNew ? null : checkpoints,
            starts,
            clock,
            settings);
    Thread thread = Thread.ofVirtual().name("imap-" + account.accountId()).start(session);
    running.put(account.accountId(), new Running(account, partition, session, thread));
    Log.infof(
        "holding %saccount %s (partition %d)", isNew ? "new " : "", account.accountId(), partition);
  }

  public void release(AccountId accountId) {
    stop(accountId);
  }

  /** Called when Kafka takes partitions away: their accounts now belong to another instance. */
  public void releasePartitions(Set<Integer> partitions) {
    running.values().stream()
        .filter(r -> partitions.contains(r.partition()))
        .map(r -> r.account().accountId())
        .toList()
        .forEach(this::stop);
  }

  /**
   * Hands work to the account's session (see {@link SessionWork}). The future fails with {@link
   * NotHeldHereException} when the account has no session here or its session stops first; it has
   * no deadline of its own, so the caller sets one ({@code orTimeout}).
   */
  public <T> CompletableFuture<T> submit(AccountId accountId, SessionWork<T> work) {
    Running r = running.get(accountId);
    if (r == null) {
      return CompletableFuture.failedFuture(new NotHeldHereException(accountId));
    }
    return r.session().submit(work);
  }

  /**
   * The definition of an account this instance holds, or empty: what a connection of its own (an
   * attachment download, ADR 0011) logs in with, so that only the holder of an account opens one.
   */
  public java.util.Optional<AccountDefined> definition(AccountId accountId) {
    Running r = running.get(accountId);
    return r == null ? java.util.Optional.empty() : java.util.Optional.of(r.account());
  }

  public Set<AccountId> held() {
    return Set.copyOf(running.keySet());
  }

  void onShutdown(@Observes ShutdownEvent event) {
    Set.copyOf(running.keySet()).forEach(this::stop);
  }

  private void stop(AccountId accountId) {
    Running r = running.remove(accountId);
    if (r == null) {
      return;
    }
    r.session().stop();
    r.thread().interrupt();
    try {
      r.thread().join(java.time.Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Log.infof("released account %s", accountId);
  }

  private record Running(
      AccountDefined account, int partition, AccountSession session, Thread thread) {}
}
