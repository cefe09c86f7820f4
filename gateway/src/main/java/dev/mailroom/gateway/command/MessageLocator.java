package dev.mailroom.gateway.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mailroom.events.command.CommandTarget;
import dev.mailroom.events.model.MailboxPath;
import dev.mailroom.events.model.ModSeq;
import dev.mailroom.events.model.Uid;
import dev.mailroom.events.model.UidValidity;
import dev.mailroom.gateway.problem.GatewayException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Where the store last saw the messages of an action (sync-service's locate), as command targets;
 * refuses the action when one is not there: 404 for an id the store never held, 410 for one it held
 * and that was expunged (the store's {@code expunged_message} tombstones) or whose mailbox was
 * reset and is being synced again.
 */
final class MessageLocator {

  private MessageLocator() {}

  /**
   * Every location of the messages but those in {@code except} (a move's destination).
   *
   * @param locate sends the locate request to the store
   */
  static List<CommandTarget> targets(
      ObjectMapper json,
      String account,
      List<String> messageIds,
      String except,
      Function<JsonNode, JsonNode> locate) {
    ObjectNode request = json.createObjectNode();
    request
        .putArray("ids")
        .addAll(messageIds.stream().map(json.getNodeFactory()::textNode).toList());
    JsonNode found = locate.apply(request);
    List<String> unknown = texts(found.path("unknown"));
    if (!unknown.isEmpty()) {
      throw new GatewayException.NotFound(
          "no message "
              + String.join(", ", unknown)
              + " in account "
              + account
              + ": this account never had it (check the id)");
    }
    List<String> expunged = texts(found.path("expunged"));
    if (!expunged.isEmpty()) {
      throw new GatewayException.Gone(
          "message-expunged",
          "message "
              + String.join(", ", expunged)
              + " was expunged from every mailbox of account "
              + account
              + " (on the server, by Mailroom or another client): there is nothing left to act on");
    }
    List<String> gone = texts(found.path("gone"));
    if (!gone.isEmpty()) {
      throw new GatewayException.Gone(
          "message-relocating",
          "message "
              + String.join(", ", gone)
              + " is in a mailbox the server has reset (new UIDVALIDITY); it is being synced again"
              + " under new numbers: retry in a few seconds, and if it stays gone it was removed on"
              + " the server");
    }
    List<CommandTarget> targets = new ArrayList<>();
    for (String messageId : messageIds) {
      for (JsonNode at : found.path("located").path(messageId)) {
        if (at.path("mailbox").asText().equals(except)) {
          continue;
        }
        targets.add(
            new CommandTarget(
                MailboxPath.of(at.path("mailbox").asText()),
                UidValidity.of(at.path("uidValidity").asLong()),
                Uid.of(at.path("uid").asLong()),
                at.hasNonNull("modSeq") ? ModSeq.of(at.path("modSeq").asLong()) : null,
                texts(at.path("flags"))));
      }
    }
    return targets;
  }

  static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
