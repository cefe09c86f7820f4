package dev.mailroom.gateway.send;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mailroom.events.EventCodec;
import dev.mailroom.events.account.AccountDefined;
import dev.mailroom.gateway.account.AccountDefinitions;
import dev.mailroom.gateway.problem.FieldErrors;
import dev.mailroom.gateway.problem.GatewayException;
import dev.mailroom.gateway.problem.Problem.FieldError;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.mail.MessagingException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.MDC;

/**
 * Queues a message for sending: checks it, builds it exactly as it will be sent, checks its size
 * against the SMTP server's, and hands it to sync-service's outbox (ADR 0006). Nothing is queued
 * when a check fails, so nothing is sent.
 */
@ApplicationScoped
public class Outbox {

  private final AccountDefinitions definitions;
  private final OutboxClient sync;
  private final SentMailboxes sentMailboxes;
  private final long defaultMaxSize;

  @Inject
  Outbox(
      AccountDefinitions definitions,
      @RestClient OutboxClient sync,
      SentMailboxes sentMailboxes,
      @ConfigProperty(name = "mailroom.outbox.default-max-message-size", defaultValue = "10240000")
          long defaultMaxSize) {
    this.definitions = definitions;
    this.sync = sync;
    this.sentMailboxes = sentMailboxes;
    this.defaultMaxSize = defaultMaxSize;
  }

  /** The queued message's state, and whether it was queued by this call or an earlier one. */
  public record Queued(JsonNode view, boolean replayed) {}

  /**
   * Definitions read for sending, kept briefly: reading one back from the accounts topic takes a
   * consumer of its own (AccountDefinitions), which a burst of sends would otherwise pay for every
   * message (measured: 10 sends a second saturated the gateway). The owner never changes; an
   * address or SMTP change is seen within this time.
   */
  private static final java.time.Duration DEFINITION_TTL = java.time.Duration.ofSeconds(15);

  private final ExpiringCache<AccountDefined> cache =
      new ExpiringCache<>(DEFINITION_TTL, 10_000, System::nanoTime);

  private AccountDefined definition(String accountId, String ownerId) {
    AccountDefined account = cache.get(accountId, definitions::require);
    if (!account.ownerId().equals(ownerId)) {
      throw GatewayException.NotFound.account(accountId);
    }
    return account;
  }

  public Queued queue(
      String accountId, String ownerId, OutgoingMessage message, String idempotencyKey) {
    AccountDefined account = definition(accountId, ownerId);
    List<FieldError> errors = new ArrayList<>(MessageRules.check(message));
    if (idempotencyKey != null && !idempotencyKey.matches("[\\x21-\\x7e]{1,200}")) {
      errors.add(
          new FieldError(
              "Idempotency-Key", "must be 1-200 printable ASCII characters without spaces"));
    }
    if (!errors.isEmpty()) {
      throw new GatewayException.InvalidRequest(FieldErrors.describe(errors), errors);
    }
    if (account.smtp() == null || account.email() == null) {
      throw new GatewayException.Conflict(
          "sending-not-configured",
          account.smtp() == null
              ? "This account has no SMTP server, so it cannot send. Connect the account again with"
                  + " smtpHost, smtpPort and smtpSecurity (or a provider with a preset)."
              : "This account has no email address to send from. Set it with PATCH /api/accounts/"
                  + accountId
                  + " {\"email\": ...}.");
    }
    String sentMailbox = account.smtp().savesSentCopy() ? null : sentMailboxes.of(accountId);
    MimeBuilder.Parent parent =
        message.inReplyTo() == null ? null : parent(accountId, message.inReplyTo());
    UUID outboxId = UUID.randomUUID();
    MimeBuilder.Built built;
    try {
      built = MimeBuilder.build(account, message, parent, outboxId);
    } catch (MessagingException | IOException e) {
      throw new GatewayException.InvalidRequest(
          "the message could not be built: " + e.getMessage(),
          List.of(new FieldError("text", "could not be encoded")));
    }
    long limit =
        account.smtp().maxMessageSize() != null ? account.smtp().maxMessageSize() : defaultMaxSize;
    if (built.mime().length > limit) {
      String field = message.attachments().isEmpty() ? "text" : "attachments";
      List<FieldError> tooBig =
          List.of(
              new FieldError(
                  field,
                  "the message would be "
                      + built.mime().length
                      + " bytes with its encoding; the SMTP server takes at most "
                      + limit
                      + " (its SIZE)"));
      throw new GatewayException.InvalidRequest(FieldErrors.describe(tooBig), tooBig);
    }
    ObjectNode request =
        EventCodec.mapper()
            .createObjectNode()
            .put("id", outboxId.toString())
            .put("idempotencyKey", idempotencyKey)
            .put("messageId", built.messageId())
            .put("envelopeFrom", built.envelopeFrom())
            .put("subject", message.subject())
            .put("mime", built.mime())
            .put("sentMailbox", sentMailbox);
    request.set("recipients", EventCodec.mapper().valueToTree(built.recipients()));
    MDC.put("accountId", accountId);
    try (Response answer = sync.queue(accountId, request)) {
      JsonNode view = answer.readEntity(JsonNode.class);
      boolean replayed = answer.getStatus() == 200;
      Log.infof(
          "outbox: %s %s (%d bytes, %d recipients)",
          replayed ? "replayed" : "queued",
          view.path("id").asText(),
          built.mime().length,
          built.recipients().size());
      return new Queued(view, replayed);
    } catch (WebApplicationException | ProcessingException e) {
      throw GatewayException.Unavailable.messageStore(e);
    } finally {
      MDC.remove("accountId");
    }
  }

  public JsonNode list(String accountId, String ownerId) {
    definition(accountId, ownerId);
    try {
      return sync.outbox(accountId);
    } catch (WebApplicationException | ProcessingException e) {
      throw GatewayException.Unavailable.messageStore(e);
    }
  }

  public JsonNode get(String accountId, String ownerId, String outboxId) {
    definition(accountId, ownerId);
    try {
      return sync.outboxMessage(accountId, outboxId);
    } catch (WebApplicationException e) {
      if (e.getResponse().getStatus() == 404) {
        throw new GatewayException.NotFound("no outbox message " + outboxId + " in this account");
      }
      throw GatewayException.Unavailable.messageStore(e);
    } catch (ProcessingException e) {
      throw GatewayException.Unavailable.messageStore(e);
    }
  }

  private MimeBuilder.Parent parent(String accountId, String identity) {
    JsonNode stored;
    try {
      stored = sync.message(accountId, identity);
    } catch (WebApplicationException e) {
      if (e.getResponse().getStatus() == 404) {
        List<FieldError> errors =
            List.of(new FieldError("inReplyTo", "no such message in this account"));
        throw new GatewayException.InvalidRequest(FieldErrors.describe(errors), errors);
      }
      throw GatewayException.Unavailable.messageStore(e);
    } catch (ProcessingException e) {
      throw GatewayException.Unavailable.messageStore(e);
    }
    List<String> references = new ArrayList<>();
    stored.path("references").forEach(r -> references.add(r.asText()));
    String messageId = stored.path("messageId").asText(null);
    if (messageId == null) {
      List<FieldError> errors =
          List.of(new FieldError("inReplyTo", "that message has no Message-ID to reply to"));
      throw new GatewayException.InvalidRequest(FieldErrors.describe(errors), errors);
    }
    return new MimeBuilder.Parent(messageId, references);
  }
}
