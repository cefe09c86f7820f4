package dev.mailroom.gateway.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mailroom.events.command.CommandAction;
import dev.mailroom.events.command.CommandRequested;
import dev.mailroom.events.command.CommandTarget;
import dev.mailroom.events.command.FlagEdit;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.MailboxPath;
import dev.mailroom.events.model.ModSeq;
import dev.mailroom.events.model.Uid;
import dev.mailroom.events.model.UidValidity;
import dev.mailroom.gateway.problem.GatewayException;
import dev.mailroom.gateway.sync.MessageStore;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Turns an owner's action into a command: checks the owner, finds the messages where the store
 * last saw them (with their flags and MODSEQ there, the base the connector merges against), puts
 * the command on the commands topic and waits until the store shows it pending.
 *
 * <p>Idempotency: the command id of a request with an {@code Idempotency-Key} is derived from the
 * account, the owner and the key, so a retry names the same command. A retry that finds the
 * command in the store is answered from it and sends nothing; one that comes before the store has
 * read the first (a few milliseconds) sends the same command again, which the store records once
 * and the connector applies once (it leaves messages already as asked alone).
 */
@ApplicationScoped
public class MessageActions {

  private final MessageStore store;
  private final CommandStoreClient commands;
  private final CommandPublisher publisher;
  private final CommandsConfig config;
  private final ObjectMapper json;

  @Inject
  public MessageActions(MessageStore store, @RestClient CommandStoreClient commands, CommandPublisher publisher,
      CommandsConfig config, ObjectMapper json) {
    this.store = store;
    this.commands = commands;
    this.publisher = publisher;
    this.config = config;
    this.json = json;
  }

  /** @return the accepted command: {@code commandId}, {@code status} */
  public JsonNode setFlags(String accountId, String ownerId, List<String> messageIds, Keywords.Edit edit,
      String idempotencyKey) {
    String account = store.account(accountId, ownerId).path("id").asText();
    AccountId id = AccountId.of(account);
    String commandId = idempotencyKey == null ? UUID.randomUUID().toString()
        : CommandRequested.idFor(id, ownerId, idempotencyKey);
    if (idempotencyKey != null) {
      JsonNode known = find(account, commandId);
      if (known != null) {
        Log.infof("command %s asked again with its Idempotency-Key: answered from the store", commandId);
        return accepted(known);
      }
    }
    List<CommandTarget> targets = locate(account, messageIds);
    var command = new CommandRequested(id, commandId, CommandAction.FLAGS, targets,
        new FlagEdit(edit.add(), edit.remove()), idempotencyKey, ownerId, Clock.systemUTC().instant());
    publisher.publish(command);
    JsonNode recorded = awaitRecorded(account, commandId);
    return recorded != null ? accepted(recorded)
        : json.createObjectNode().put("commandId", commandId).put("status", "pending");
  }

  /** The command as the store knows it; 404 when it does not. */
  public JsonNode command(String accountId, String ownerId, String commandId) {
    String account = store.account(accountId, ownerId).path("id").asText();
    JsonNode found = find(account, commandId);
    if (found == null) {
      throw new GatewayException.NotFound("there is no command " + commandId + " on account " + account
          + " (a command just accepted shows within a few seconds)");
    }
    return found;
  }

  private List<CommandTarget> locate(String account, List<String> messageIds) {
    ObjectNode request = json.createObjectNode();
    request.putArray("ids").addAll(messageIds.stream().map(json.getNodeFactory()::textNode).toList());
    JsonNode found = call(() -> commands.locate(account, request));
    List<String> unknown = texts(found.path("unknown"));
    if (!unknown.isEmpty()) {
      throw new GatewayException.NotFound("no message " + String.join(", ", unknown) + " in account " + account
          + ": it never was there or it has been expunged from every mailbox");
    }
    List<String> gone = texts(found.path("gone"));
    if (!gone.isEmpty()) {
      throw new GatewayException.Gone("message-relocating", "message " + String.join(", ", gone)
          + " is in a mailbox the server has reset (new UIDVALIDITY); it is being synced again under new"
          + " numbers: retry in a few seconds, and if it stays gone it was removed on the server");
    }
    List<CommandTarget> targets = new ArrayList<>();
    for (String messageId : messageIds) {
      for (JsonNode at : found.path("located").path(messageId)) {
        targets.add(new CommandTarget(MailboxPath.of(at.path("mailbox").asText()),
            UidValidity.of(at.path("uidValidity").asLong()), Uid.of(at.path("uid").asLong()),
            at.hasNonNull("modSeq") ? ModSeq.of(at.path("modSeq").asLong()) : null, texts(at.path("flags"))));
      }
    }
    return targets;
  }

  private JsonNode awaitRecorded(String account, String commandId) {
    long deadline = System.nanoTime() + config.visibleWait().toNanos();
    while (System.nanoTime() < deadline) {
      try {
        JsonNode found = find(account, commandId);
        if (found != null) {
          return found;
        }
        Thread.sleep(25);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      } catch (GatewayException e) {
        return null; // accepted all the same: the store shows it when it can
      }
    }
    return null;
  }

  private JsonNode find(String account, String commandId) {
    try {
      return call(() -> commands.command(account, commandId));
    } catch (GatewayException.NotFound e) {
      return null;
    }
  }

  private ObjectNode accepted(JsonNode command) {
    return json.createObjectNode().put("commandId", command.path("commandId").asText())
        .put("status", command.path("status").asText());
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static JsonNode call(Supplier<JsonNode> request) {
    try {
      return request.get();
    } catch (WebApplicationException e) {
      int status = e.getResponse().getStatus();
      if (status == 404) {
        throw new GatewayException.NotFound("not found in the message store");
      }
      if (status >= 500) {
        throw GatewayException.Unavailable.messageStore(e);
      }
      throw new GatewayException.UpstreamFailed("the message store answered HTTP " + status + " to an action");
    } catch (GatewayException e) {
      throw e;
    } catch (RuntimeException e) {
      throw GatewayException.Unavailable.messageStore(e);
    }
  }

}
