package dev.mailroom.gateway.command;

import static dev.mailroom.gateway.sync.StoreCalls.call;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mailroom.events.command.CommandAction;
import dev.mailroom.events.command.CommandRequested;
import dev.mailroom.events.command.CommandTarget;
import dev.mailroom.events.command.FlagEdit;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.MailboxPath;
import dev.mailroom.gateway.problem.GatewayException;
import dev.mailroom.gateway.sync.MessageStore;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Turns an owner's action into a command: checks the owner, finds the messages where the store last
 * saw them (with their flags and MODSEQ there, the base the connector merges against), puts the
 * command on the commands topic and waits until the store shows it pending.
 *
 * <p>Idempotency: the command id of a request with an {@code Idempotency-Key} is derived from the
 * account, the owner and the key, so a retry names the same command. A retry that finds the command
 * in the store is answered from it and sends nothing; one that comes before the store has read the
 * first (a few milliseconds) sends the same command again, which the store records once and the
 * connector applies once (it leaves messages already as asked alone).
 */
@ApplicationScoped
public class MessageActions {

  private final MessageStore store;
  private final CommandStoreClient commands;
  private final CommandPublisher publisher;
  private final CommandsConfig config;
  private final ObjectMapper json;

  @Inject
  public MessageActions(
      MessageStore store,
      @RestClient CommandStoreClient commands,
      CommandPublisher publisher,
      CommandsConfig config,
      ObjectMapper json) {
    this.store = store;
    this.commands = commands;
    this.publisher = publisher;
    this.config = config;
    this.json = json;
  }

  /**
   * @return the accepted command: {@code commandId}, {@code status}
   */
  public JsonNode setFlags(
      String accountId,
      String ownerId,
      List<String> messageIds,
      Keywords.Edit edit,
      String idempotencyKey) {
    return submit(
        accountId,
        ownerId,
        idempotencyKey,
        RequestDigest.of("flags", messageIds, edit.add(), edit.remove()),
        (id, commandId) ->
            new CommandRequested(
                id,
                commandId,
                CommandAction.FLAGS,
                locate(id.toString(), messageIds, null),
                new FlagEdit(edit.add(), edit.remove()),
                null,
                null,
                idempotencyKey,
                ownerId,
                Clock.systemUTC().instant()));
  }

  /**
   * Moves the messages from every mailbox that holds them to the destination, a path or a role.
   *
   * @throws GatewayException.MailboxesNotConfigured when the role has no mailbox
   */
  public JsonNode move(
      String accountId,
      String ownerId,
      List<String> messageIds,
      MoveRequest body,
      String idempotencyKey) {
    return submit(
        accountId,
        ownerId,
        idempotencyKey,
        RequestDigest.of("move", messageIds, body.mailbox(), body.role()),
        (id, commandId) -> {
          String account = id.toString();
          String destination =
              body.role() != null
                  ? Destinations.ofRole(account, body.role(), call(() -> commands.roles(account)))
                  : Destinations.ofPath(body.mailbox(), call(() -> commands.mailboxes(account)));
          List<CommandTarget> targets = locate(account, messageIds, destination);
          if (targets.isEmpty()) {
            throw new GatewayException.InvalidRequest(
                List.of(
                    new dev.mailroom.gateway.problem.Problem.FieldError(
                        body.role() != null ? "role" : "mailbox",
                        "the message is already in " + destination)));
          }
          return new CommandRequested(
              id,
              commandId,
              CommandAction.MOVE,
              targets,
              null,
              MailboxPath.of(destination),
              null,
              idempotencyKey,
              ownerId,
              Clock.systemUTC().instant());
        });
  }

  /**
   * Deletes the messages for good; only where they are in the Trash or Junk mailbox.
   *
   * @throws GatewayException.MailboxesNotConfigured when neither Trash nor Junk has a mailbox
   */
  public JsonNode delete(
      String accountId, String ownerId, List<String> messageIds, String idempotencyKey) {
    return submit(
        accountId,
        ownerId,
        idempotencyKey,
        RequestDigest.of("delete", messageIds),
        (id, commandId) -> {
          String account = id.toString();
          JsonNode roles = call(() -> commands.roles(account));
          List<String> allowed = new ArrayList<>();
          for (String role : List.of("trash", "junk")) {
            JsonNode mapped = roles.path("roles").path(role);
            if (mapped.hasNonNull("path")) {
              allowed.add(mapped.path("path").asText());
            }
          }
          if (allowed.isEmpty()) {
            throw Destinations.notConfigured(account, List.of("trash", "junk"));
          }
          List<CommandTarget> targets = locate(account, messageIds, null);
          List<String> elsewhere =
              targets.stream()
                  .map(t -> t.mailbox().value())
                  .filter(m -> !allowed.contains(m))
                  .distinct()
                  .toList();
          if (!elsewhere.isEmpty()) {
            throw new GatewayException.InvalidRequest(
                List.of(
                    new dev.mailroom.gateway.problem.Problem.FieldError(
                        "messageIds",
                        "delete is permanent and only from "
                            + String.join(" or ", allowed)
                            + ": some messages are"
                            + " in "
                            + String.join(", ", elsewhere)
                            + "; move them to the trash first")));
          }
          return new CommandRequested(
              id,
              commandId,
              CommandAction.DELETE,
              targets,
              new FlagEdit(List.of("\\Deleted"), List.of()),
              null,
              null,
              idempotencyKey,
              ownerId,
              Clock.systemUTC().instant());
        });
  }

  /**
   * Creates ({@code from} null), renames, or deletes ({@code to} null) a mailbox. The mailbox list
   * decides what exists: a rename or delete needs {@code from}, a create or rename must not find
   * {@code to}; INBOX is neither renamed (RFC 9051 §6.3.6 makes that a move of its messages) nor
   * deleted, and only an empty mailbox is deleted.
   */
  public JsonNode mailbox(
      String accountId, String ownerId, String from, String to, String idempotencyKey) {
    return submit(
        accountId,
        ownerId,
        idempotencyKey,
        RequestDigest.of("mailbox", List.of(), from, to),
        (id, commandId) -> {
          JsonNode boxes = call(() -> commands.mailboxes(id.toString()));
          JsonNode existing = null;
          boolean toExists = false;
          for (JsonNode m : boxes) {
            String path = m.path("path").asText();
            if (path.equals(from)) {
              existing = m;
            }
            toExists |=
                path.equals(to)
                    || (to != null && to.equalsIgnoreCase("INBOX") && path.equals("INBOX"));
          }
          if (from != null && existing == null) {
            throw new GatewayException.NotFound(
                "there is no mailbox '" + from + "' in this account");
          }
          if (from != null && from.equals("INBOX")) {
            throw new GatewayException.Conflict(
                "inbox-fixed", "INBOX cannot be renamed or deleted");
          }
          if (toExists) {
            throw new GatewayException.Conflict(
                "mailbox-exists", "a mailbox '" + to + "' exists already");
          }
          if (from != null && to == null && existing.path("total").asLong() > 0) {
            throw new GatewayException.Conflict(
                "mailbox-not-empty",
                "mailbox '"
                    + from
                    + "' holds "
                    + existing.path("total").asLong()
                    + " message(s): move or delete them first, so nothing is lost by accident");
          }
          CommandAction action =
              from == null
                  ? CommandAction.CREATE_MAILBOX
                  : to == null ? CommandAction.DELETE_MAILBOX : CommandAction.RENAME_MAILBOX;
          return new CommandRequested(
              id,
              commandId,
              action,
              List.of(),
              null,
              to == null ? null : MailboxPath.of(to),
              from == null ? null : MailboxPath.of(from),
              idempotencyKey,
              ownerId,
              Clock.systemUTC().instant());
        });
  }

  private interface Build {
    CommandRequested command(AccountId accountId, String commandId);
  }

  /**
   * 404 unless the caller owns the account: asked before the request is read, so someone else's
   * account answers the same whatever the request (never a 400 that tells it exists).
   */
  public void requireOwned(String accountId, String ownerId) {
    store.account(accountId, ownerId);
  }

  private JsonNode submit(
      String accountId, String ownerId, String idempotencyKey, String digest, Build build) {
    String account = store.account(accountId, ownerId).path("id").asText();
    AccountId id = AccountId.of(account);
    String commandId =
        idempotencyKey == null
            ? UUID.randomUUID().toString()
            : CommandRequested.idFor(id, ownerId, idempotencyKey);
    if (idempotencyKey != null) {
      JsonNode known = find(account, commandId);
      String knownDigest = known == null ? null : known.path("requestDigest").asText(null);
      if (knownDigest != null && !knownDigest.equals(digest)) {
        throw new GatewayException.Unprocessable(
            "idempotency-key-reused",
            "Idempotency-Key reused for another request",
            "Idempotency-Key '"
                + idempotencyKey
                + "' was used for another request (command "
                + commandId
                + "); send this request with a new key, or the first request again to see its"
                + " command",
            null);
      }
      if (known != null) {
        Log.infof(
            "command %s asked again with its Idempotency-Key: answered from the store", commandId);
        return accepted(known);
      }
    }
    CommandRequested command = withDigest(build.command(id, commandId), idempotencyKey, digest);
    publisher.publish(command);
    JsonNode recorded = awaitRecorded(account, commandId);
    return recorded != null
        ? accepted(recorded)
        : json.createObjectNode().put("commandId", commandId).put("status", "pending");
  }

  /** The digest goes with a keyed request only: without a key there is no retry to compare. */
  private static CommandRequested withDigest(CommandRequested c, String key, String digest) {
    return key == null
        ? c
        : new CommandRequested(
            c.accountId(),
            c.commandId(),
            c.action(),
            c.targets(),
            c.flags(),
            c.destination(),
            c.mailbox(),
            c.idempotencyKey(),
            c.requestedBy(),
            c.requestedAt(),
            digest);
  }

  /** The command as the store knows it; 404 when it does not. */
  public JsonNode command(String accountId, String ownerId, String commandId) {
    String account = store.account(accountId, ownerId).path("id").asText();
    JsonNode found = find(account, commandId);
    if (found == null) {
      throw new GatewayException.NotFound(
          "there is no command "
              + commandId
              + " on account "
              + account
              + " (a command just accepted shows within a few seconds)");
    }
    return found;
  }

  /** Every location of the messages, but those already in {@code except} (a move's destination). */
  private List<CommandTarget> locate(String account, List<String> messageIds, String except) {
    return MessageLocator.targets(
        json,
        account,
        messageIds,
        except,
        request -> call(() -> commands.locate(account, request)));
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
    return json.createObjectNode()
        .put("commandId", command.path("commandId").asText())
        .put("status", command.path("status").asText());
  }
}
