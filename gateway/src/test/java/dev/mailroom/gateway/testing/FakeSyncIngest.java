package dev.mailroom.gateway.testing;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mailroom.gateway.account.AccountPublished;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Plays sync-service's consumer of the accounts topic for {@link FakeSyncResource}: what the
 * gateway publishes shows up in the fake store after {@link #lagMillis}, on another thread, as it
 * would once sync-service had read the topic.
 */
@ApplicationScoped
public class FakeSyncIngest {

  /** How long the fake store takes to show a published account; tests set it, 0 by default. */
  public static volatile long lagMillis;

  /** While set, published accounts never reach the fake store (a sync-service that is stuck). */
  public static volatile boolean stuck;

  void published(@Observes AccountPublished event) {
    if (stuck) {
      return;
    }
    var a = event.account();
    long lag = lagMillis;
    if (a == null) {
      Thread.ofVirtual()
          .start(
              () -> {
                try {
                  Thread.sleep(lag);
                } catch (InterruptedException e) {
                  return;
                }
                FakeSyncResource.ACCOUNTS.remove(event.accountId().toString());
              });
      return;
    }
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                Thread.sleep(lag);
              } catch (InterruptedException e) {
                return;
              }
              ObjectNode account =
                  JsonNodeFactory.instance
                      .objectNode()
                      .put("id", a.accountId().toString())
                      .put("ownerId", a.ownerId())
                      .put("displayName", a.displayName())
                      .put("email", a.email())
                      .put("host", a.imap().host())
                      .put("port", a.imap().port())
                      .put("security", a.imap().security().wireName())
                      .put("username", a.imap().username())
                      .put("status", "defined");
              FakeSyncResource.ACCOUNTS.put(a.accountId().toString(), account);
            });
  }
}
