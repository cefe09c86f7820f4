package dev.mailroom.gateway.message;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailroom.gateway.problem.GatewayException;
import dev.mailroom.gateway.sync.MessageStore;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * One message and one conversation of the caller's account. Ownership is checked through {@link
 * MessageStore#account} first, so a message id of someone else's account is a 404 like any other.
 */
@ApplicationScoped
public class MessageDetails {

  /**
   * Message identities and thread ids are the store's own (hex digests and the like); anything else
   * cannot name one, and must not reach the store's URL as a path of its own.
   */
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:@+=-]{1,200}");

  private final MessageStore store;
  private final SyncMessagesClient sync;

  @Inject
  public MessageDetails(MessageStore store, @RestClient SyncMessagesClient sync) {
    this.store = store;
    this.sync = sync;
  }

  public JsonNode message(String accountId, String ownerId, String identity) {
    String id = owned(accountId, ownerId);
    if (!ID.matcher(identity).matches()) {
      throw new GatewayException.NotFound("there is no message " + identity + " in account " + id);
    }
    return call(
        () -> sync.message(id, identity), "there is no message " + identity + " in account " + id);
  }

  public JsonNode conversation(String accountId, String ownerId, String threadId) {
    String id = owned(accountId, ownerId);
    if (!ID.matcher(threadId).matches()) {
      throw new GatewayException.NotFound(
          "there is no conversation " + threadId + " in account " + id);
    }
    return call(
        () -> sync.conversation(id, threadId),
        "there is no conversation " + threadId + " in account " + id);
  }

  private String owned(String accountId, String ownerId) {
    return store.account(accountId, ownerId).path("id").asText();
  }

  private static JsonNode call(Supplier<JsonNode> request, String notFound) {
    try {
      return request.get();
    } catch (WebApplicationException e) {
      int status = e.getResponse().getStatus();
      if (status == 404) {
        throw new GatewayException.NotFound(notFound);
      }
      if (status >= 500) {
        throw GatewayException.Unavailable.messageStore(e);
      }
      Log.warnf("sync-service answered %d for a message read", status);
      throw new GatewayException.UpstreamFailed(
          "the message store answered with an error (HTTP " + status + "); try again later");
    } catch (GatewayException e) {
      throw e;
    } catch (RuntimeException e) {
      throw GatewayException.Unavailable.messageStore(e);
    }
  }
}
