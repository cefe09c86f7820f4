package dev.mailroom.gateway.send;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailroom.gateway.problem.GatewayException;
import dev.mailroom.gateway.problem.Problem.FieldError;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Where the copy of a sent message goes: the mailbox that plays the Sent role, as sync-service
 * resolves roles (the owner's mapping, then SPECIAL-USE, then a well-known name), so the copy lands
 * where moves and the console say Sent is.
 *
 * <p>Kept {@link #TTL} per account: every send asks, and on a freshly started stack 10 sends a
 * second took all of the gateway's connections to sync-service (38 of 200 sends answered 503). A
 * mapping the owner changes through this gateway is seen at once ({@link #forget}); one changed on
 * the server (a new \Sent mailbox, a rename), or through another gateway instance, within the TTL.
 * "No Sent mailbox" is never kept: the owner who creates or maps one is not told to wait.
 */
@ApplicationScoped
public class SentMailboxes {

  static final Duration TTL = Duration.ofSeconds(30);
  private static final int MAX_ACCOUNTS = 10_000;

  private final OutboxClient sync;
  private final ExpiringCache<String> cache;

  @Inject
  SentMailboxes(@RestClient OutboxClient sync) {
    this(sync, System::nanoTime);
  }

  SentMailboxes(OutboxClient sync, LongSupplier nanoTime) {
    this.sync = sync;
    this.cache = new ExpiringCache<>(TTL, MAX_ACCOUNTS, nanoTime);
  }

  /**
   * BRIEF §4: an action that needs a role that is not mapped fails with "Mailboxes not configured",
   * naming it, before anything is done. Before the first sync the store knows no mailboxes (and the
   * owner can have mapped none): then null, and the connector finds Sent on the server the same way
   * (SPECIAL-USE, then names), refusing the same way.
   *
   * @return the Sent mailbox's path, or null before the account's first sync
   * @throws GatewayException.MailboxesNotConfigured when the account has mailboxes and none is Sent
   */
  public String of(String accountId) {
    return cache.get(key(accountId), this::resolve);
  }

  /** The owner mapped roles: the next send asks sync-service again. */
  public void forget(String accountId) {
    cache.forget(key(accountId));
  }

  /** One entry per account however its id was spelled in the path (a UUID's hex digits). */
  private static String key(String accountId) {
    return accountId.toLowerCase(Locale.ROOT);
  }

  private String resolve(String accountId) {
    JsonNode roles;
    try {
      roles = sync.roles(accountId);
    } catch (WebApplicationException | ProcessingException e) {
      throw GatewayException.Unavailable.messageStore(e);
    }
    JsonNode sent = roles.path("roles").path("sent");
    if (sent.hasNonNull("path")) {
      return sent.path("path").asText();
    }
    JsonNode mailboxes;
    try {
      mailboxes = sync.mailboxes(accountId);
    } catch (WebApplicationException | ProcessingException e) {
      mailboxes = null; // 404 before the first sync
    }
    if (mailboxes == null || !mailboxes.isArray() || mailboxes.isEmpty()) {
      return null;
    }
    throw new GatewayException.MailboxesNotConfigured(
        "Mailboxes not configured: no mailbox of this account plays the role sent, where the copy of"
            + " what it sends is kept (none mapped, none marked \\Sent, none with a well-known name"
            + " such as Sent or Sent Items). Map an existing mailbox with PUT /api/accounts/"
            + accountId
            + "/roles {\"sent\": \"<mailbox path>\"}, or create a Sent mailbox on the server, then"
            + " send again. Nothing was sent.",
        List.of(new FieldError("roles.sent", "no mailbox of this account plays the role sent")));
  }
}
