package dev.mailroom.gateway.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mailroom.events.EventCodec;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.status.AccountStatusChanged;
import dev.mailroom.gateway.message.SyncMessagesClient;
import dev.mailroom.gateway.sync.MessageStore;
import io.quarkus.logging.Log;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One open {@code GET /api/events}: a virtual thread per account long-polls the account's change
 * log in sync-service (written in the transaction of each change, so only committed changes are
 * sent), the status feed adds account status changes, and this thread sends heartbeats, picks up
 * accounts added meanwhile and ends the stream when the token expires (the client reconnects with a
 * fresh token and its Last-Event-ID). Only accounts the owner has are ever followed.
 */
final class LiveStream {

  private final SseEventSink sink;
  private final Sse sse;
  private final String owner;
  private final Instant expiresAt;
  private final MessageStore store;
  private final SyncMessagesClient sync;
  private final StatusFeed statuses;
  private final LiveConfig config;

  /** Last sequence number sent per account; each event's id is a snapshot of it. */
  private final Map<AccountId, Long> position = new LinkedHashMap<>();

  private final Map<AccountId, Thread> followers = new ConcurrentHashMap<>();
  private final List<Runnable> unfollow = new ArrayList<>();
  private volatile boolean closed;

  LiveStream(
      SseEventSink sink,
      Sse sse,
      String owner,
      Instant expiresAt,
      MessageStore store,
      SyncMessagesClient sync,
      StatusFeed statuses,
      LiveConfig config) {
    this.sink = sink;
    this.sse = sse;
    this.owner = owner;
    this.expiresAt = expiresAt;
    this.store = store;
    this.sync = sync;
    this.statuses = statuses;
    this.config = config;
  }

  /** Runs until the client goes, the token expires or the gateway stops. */
  void run(StreamPosition from) {
    try {
      for (AccountId account : owned()) {
        // Resuming: from where the client was; an account it did not know yet: all of its changes.
        // A fresh stream starts from now.
        long start = from != null ? from.seqs().getOrDefault(account, 0L) : head(account);
        follow(account, start);
      }
      send("ready", EventCodec.mapper().createObjectNode().put("accounts", position.size()));
      long nextRefresh = System.nanoTime() + config.accountRefresh().toNanos();
      while (!closed && !sink.isClosed()) {
        if (expiresAt != null && Instant.now().isAfter(expiresAt)) {
          send(
              "token-expired",
              EventCodec.mapper()
                  .createObjectNode()
                  .put(
                      "detail",
                      "the access token expired: reconnect with a new one and Last-Event-ID"));
          break;
        }
        Thread.sleep(config.heartbeat().toMillis());
        if (System.nanoTime() > nextRefresh) {
          for (AccountId account : owned()) {
            if (!followers.containsKey(account)) {
              follow(account, 0L);
            }
          }
          nextRefresh = System.nanoTime() + config.accountRefresh().toNanos();
        }
        heartbeat();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      Log.warnf("live stream ended: %s", e.getMessage());
    } finally {
      close();
    }
  }

  private List<AccountId> owned() {
    List<AccountId> ids = new ArrayList<>();
    store.accountsOf(owner).forEach(a -> ids.add(AccountId.of(a.path("id").asText())));
    return ids;
  }

  private long head(AccountId account) {
    try {
      return sync.head(account.toString()).path("cursor").asLong(0);
    } catch (WebApplicationException e) {
      return 0;
    }
  }

  private synchronized void follow(AccountId account, long start) {
    position.put(account, start);
    unfollow.add(statuses.follow(account, this::status));
    followers.put(
        account, Thread.ofVirtual().name("live-" + account).start(() -> poll(account, start)));
  }

  private void poll(AccountId account, long start) {
    long after = start;
    int failures = 0;
    while (!closed && !sink.isClosed()) {
      JsonNode answer;
      try {
        answer = sync.changes(account.toString(), after, 500, (int) config.longPoll().toSeconds());
        failures = 0;
      } catch (WebApplicationException e) {
        if (e.getResponse().getStatus() == 404) {
          send(account, after, "account.deleted", base(account));
          return;
        }
        failures++;
        sleepQuietly(Math.min(failures, 10) * 500L);
        continue;
      } catch (RuntimeException e) {
        failures++;
        sleepQuietly(Math.min(failures, 10) * 500L); // sync-service away: retry, the cursor is kept
        continue;
      }
      for (JsonNode change : answer.path("changes")) {
        long seq = change.path("seq").asLong();
        ObjectNode data = base(account);
        data.put("seq", seq);
        JsonNode payload = change.path("payload");
        change
            .fields()
            .forEachRemaining(
                f -> {
                  String key = f.getKey();
                  // A command's or send's change has no mailbox or UID: its facts are its payload.
                  boolean absent = payload.isObject() && f.getValue().isNull();
                  if (!key.equals("seq") && !key.equals("kind") && !key.equals("payload")) {
                    if (!absent) {
                      data.set(key, f.getValue());
                    }
                  }
                });
        if (payload.isObject()) {
          payload.fields().forEachRemaining(f -> data.set(f.getKey(), f.getValue()));
        }
        String kind = change.path("kind").asText("change");
        send(account, seq, kind, data);
        after = seq;
        if (kind.equals("account.deleted")) {
          return; // its last change (sync-service's MailStore.deleteAccount)
        }
      }
      after = Math.max(after, answer.path("cursor").asLong(after));
    }
  }

  private void status(AccountStatusChanged event) {
    ObjectNode data = base(event.accountId());
    data.put("status", event.status().name().toLowerCase(java.util.Locale.ROOT));
    data.put("since", event.since() == null ? null : event.since().toString());
    data.put("reason", event.reason() == null ? null : event.reason().name());
    data.put("detail", event.detail());
    data.put("at", event.at() == null ? null : event.at().toString());
    send("account.status", data);
  }

  private static ObjectNode base(AccountId account) {
    return EventCodec.mapper().createObjectNode().put("accountId", account.toString());
  }

  private synchronized void send(AccountId account, long seq, String name, ObjectNode data) {
    position.put(account, Math.max(position.getOrDefault(account, 0L), seq));
    send(name, data);
  }

  private synchronized void send(String name, ObjectNode data) {
    if (closed || sink.isClosed()) {
      return;
    }
    try {
      sink.send(
              sse.newEventBuilder()
                  .id(new StreamPosition(position).encode())
                  .name(name)
                  .mediaType(MediaType.APPLICATION_JSON_TYPE)
                  .data(data.toString())
                  .build())
          .toCompletableFuture()
          .get();
    } catch (Exception e) {
      closed = true; // the client went away
    }
  }

  private synchronized void heartbeat() {
    if (closed || sink.isClosed()) {
      return;
    }
    try {
      // A comment line (WHATWG HTML §9.2.6): clients ignore it, proxies see traffic.
      sink.send(sse.newEventBuilder().comment("heartbeat " + Instant.now()).build())
          .toCompletableFuture()
          .get();
    } catch (Exception e) {
      closed = true;
    }
  }

  private void close() {
    closed = true;
    synchronized (this) {
      unfollow.forEach(Runnable::run);
    }
    followers.values().forEach(Thread::interrupt);
    try {
      sink.close();
    } catch (RuntimeException ignored) {
      // already closed by the client
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
