package dev.mailroom.gateway.account;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.gateway.sync.SyncServiceClient;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import java.time.Duration;
import java.util.function.Predicate;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Read your own writes. The accounts topic is the source of truth and sync-service applies it
 * asynchronously, so on a fresh stack {@code GET /api/accounts} listed nothing for 1-2 s after a
 * 201. A write therefore answers only once the store shows it, or after a bound: the write itself
 * is durable either way (the broker acknowledged it), and a store that lags longer than the bound
 * is logged rather than turned into a failed request the client would retry (and duplicate).
 */
@ApplicationScoped
public class StoreCatchUp {

  private static final Duration POLL = Duration.ofMillis(50);

  private final SyncServiceClient sync;
  private final Duration bound;

  @Inject
  public StoreCatchUp(
      @RestClient SyncServiceClient sync,
      @ConfigProperty(name = "mailroom.read-your-writes.timeout", defaultValue = "5s")
          Duration bound) {
    this.sync = sync;
    this.bound = bound;
  }

  /** Waits until the store has the account. */
  public boolean awaitStored(AccountId id) {
    return await(id, account -> true, "stored");
  }

  /** Waits until the store no longer has the account (after its tombstone). */
  public boolean awaitGone(AccountId id) {
    long deadline = System.nanoTime() + bound.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        sync.account(id.toString());
      } catch (WebApplicationException e) {
        if (e.getResponse().getStatus() == 404) {
          return true;
        }
      } catch (RuntimeException e) {
        // sync-service away: keep waiting within the bound
      }
      if (!pause()) {
        return false;
      }
    }
    Log.warnf("account %s still in the store %s after its deletion", id, bound);
    return false;
  }

  /** Waits until the store's copy of the account satisfies {@code applied}. */
  public boolean await(AccountId id, Predicate<JsonNode> applied, String what) {
    long deadline = System.nanoTime() + bound.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (applied.test(sync.account(id.toString()))) {
          return true;
        }
      } catch (WebApplicationException e) {
        if (e.getResponse().getStatus() != 404) {
          Log.debugf(
              "sync-service answered %d while waiting for account %s",
              e.getResponse().getStatus(), id);
        }
      } catch (RuntimeException e) {
        Log.debugf("sync-service unreachable while waiting for account %s: %s", id, e.getMessage());
      }
      if (!pause()) {
        return false;
      }
    }
    Log.warnf(
        "account %s not %s in the store within %s; answered anyway (the write is durable)",
        id, what, bound);
    return false;
  }

  private static boolean pause() {
    try {
      Thread.sleep(POLL);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
