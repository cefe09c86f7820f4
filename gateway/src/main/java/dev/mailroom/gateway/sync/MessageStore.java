package dev.mailroom.gateway.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.gateway.problem.GatewayException;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import java.util.function.Supplier;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * What the gateway reads from sync-service, with the owner check built into every call: there is no
 * method that returns an account's data without being told who asks.
 */
@ApplicationScoped
public class MessageStore {

  private final SyncServiceClient sync;

  @Inject
  public MessageStore(@RestClient SyncServiceClient sync) {
    this.sync = sync;
  }

  /** The caller's accounts. */
  public ArrayNode accountsOf(String ownerId) {
    JsonNode all = call(() -> sync.accountsOf(ownerId));
    ArrayNode owned = AccountJson.ownedBy(all, ownerId);
    if (all != null && all.isArray() && owned.size() != all.size()) {
      // Defence in depth: sync-service was asked for this owner only. Anything else it returns is
      // its bug, and must not reach the client; the log makes the bug visible.
      Log.warnf(
          "sync-service listed %d account(s) for an owner, %d of them not naming that owner;"
              + " left out",
          all.size(), all.size() - owned.size());
    }
    return owned;
  }

  /** The account, if it exists and the caller owns it; otherwise 404, the same either way. */
  public ObjectNode account(String accountId, String ownerId) {
    return AccountJson.toPublic(requireOwned(accountId, ownerId));
  }

  public JsonNode mailboxes(String accountId, String ownerId) {
    String id = AccountJson.idOf(requireOwned(accountId, ownerId));
    return call(() -> sync.mailboxes(canonical(accountId)), id);
  }

  public JsonNode messages(String accountId, String ownerId, MessageQuery query) {
    String id = AccountJson.idOf(requireOwned(accountId, ownerId));
    return call(
        () -> sync.messages(canonical(accountId), query.mailbox(), query.limit(), query.cursor()),
        id);
  }

  private JsonNode requireOwned(String accountId, String ownerId) {
    String id = canonical(accountId);
    JsonNode account = call(() -> sync.account(id), id);
    if (!AccountJson.isOwnedBy(account, ownerId)) {
      Log.infof("account %s asked for by a user who does not own it; answered 404", id);
      throw GatewayException.NotFound.account(id);
    }
    return account;
  }

  /** A malformed id cannot name an account: 404, as for any other account the caller lacks. */
  private static String canonical(String accountId) {
    try {
      return AccountId.of(accountId).toString();
    } catch (IllegalArgumentException e) {
      throw GatewayException.NotFound.account(accountId);
    }
  }

  private static JsonNode call(Supplier<JsonNode> request) {
    return call(request, null);
  }

  private static JsonNode call(Supplier<JsonNode> request, String accountId) {
    try {
      return request.get();
    } catch (WebApplicationException e) {
      int status = e.getResponse().getStatus();
      if (status == 404 && accountId != null) {
        throw GatewayException.NotFound.account(accountId);
      }
      if (status == 404) {
        throw new GatewayException.NotFound("not found in the message store");
      }
      if (status == 400) {
        throw new GatewayException.InvalidRequest(
            "the message store rejected the query (an expired or foreign cursor?);"
                + " start again without a cursor",
            java.util.List.of());
      }
      if (status == 503 || status == 502 || status == 504) {
        throw GatewayException.Unavailable.messageStore(e);
      }
      Log.warnf("sync-service answered %d", status);
      throw new GatewayException.UpstreamFailed(
          "the message store answered with an error (HTTP " + status + "); try again later");
    } catch (GatewayException e) {
      throw e;
    } catch (RuntimeException e) {
      // Connection refused, timeout, reset: the REST client wraps them in ProcessingException.
      throw GatewayException.Unavailable.messageStore(e);
    }
  }
}
