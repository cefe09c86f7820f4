package dev.mailroom.gateway.message;

import static dev.mailroom.gateway.sync.StoreCalls.call;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailroom.gateway.problem.GatewayException;
import dev.mailroom.gateway.sync.MessageStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
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
}
