package dev.mailroom.gateway.command;

import static dev.mailroom.gateway.sync.StoreCalls.call;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailroom.gateway.problem.GatewayException;
import dev.mailroom.gateway.problem.Problem;
import dev.mailroom.gateway.sync.MessageStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import java.util.List;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Which mailbox plays which role on an owner's account, as sync-service keeps it: read, and mapped
 * by the owner. The account is checked to be the caller's first.
 */
@ApplicationScoped
public class MailboxRoles {

  private final MessageStore store;
  private final CommandStoreClient commands;

  @Inject
  public MailboxRoles(MessageStore store, @RestClient CommandStoreClient commands) {
    this.store = store;
    this.commands = commands;
  }

  /** The account's roles and which are unmapped (sync-service's answer). */
  public JsonNode roles(String accountId, String ownerId) {
    String account = store.account(accountId, ownerId).path("id").asText();
    return call(() -> commands.roles(account));
  }

  /**
   * Sets the owner's mapping of roles to mailboxes.
   *
   * @throws GatewayException.InvalidRequest with the store's reason when it refuses the mapping
   */
  public JsonNode mapRoles(String accountId, String ownerId, JsonNode mapping) {
    String account = store.account(accountId, ownerId).path("id").asText();
    try {
      return commands.mapRoles(account, mapping);
    } catch (WebApplicationException e) {
      if (e.getResponse().getStatus() == 422) {
        String detail = e.getResponse().readEntity(JsonNode.class).path("detail").asText();
        throw new GatewayException.InvalidRequest(
            detail, List.of(new Problem.FieldError("body", detail)));
      }
      return call(
          () -> {
            throw e;
          });
    } catch (RuntimeException e) {
      throw GatewayException.Unavailable.messageStore(e);
    }
  }
}
