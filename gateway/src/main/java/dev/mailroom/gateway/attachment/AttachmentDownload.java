package dev.mailroom.gateway.attachment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailroom.gateway.attachment.ConnectorParts.Answer;
import dev.mailroom.gateway.attachment.ConnectorParts.Location;
import dev.mailroom.gateway.attachment.ConnectorParts.NotHeld;
import dev.mailroom.gateway.attachment.ConnectorParts.Refused;
import dev.mailroom.gateway.attachment.ConnectorParts.Streaming;
import dev.mailroom.gateway.attachment.ConnectorParts.Unreachable;
import dev.mailroom.gateway.message.MessageDetails;
import dev.mailroom.gateway.problem.GatewayException;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.InputStream;
import java.util.OptionalLong;

/**
 * One attachment of a caller's message: the owner check and the part's place come from the store
 * ({@link MessageDetails}), the octets from the connector that holds the account ({@link
 * ConnectorParts}). A message in several mailboxes is tried in each until one still has it.
 */
@ApplicationScoped
public class AttachmentDownload {

  /** What the gateway answers with. */
  public record Part(String filename, String contentType, OptionalLong length, InputStream body) {}

  private final MessageDetails details;
  private final ConnectorParts connector;

  AttachmentDownload(MessageDetails details, ConnectorParts connector) {
    this.details = details;
    this.connector = connector;
  }

  public Part open(String accountId, String ownerId, String messageId, String part) {
    // Someone else's account or message is a 404 here, before anything else is asked.
    JsonNode message = details.message(accountId, ownerId, messageId);
    JsonNode attachment = null;
    for (JsonNode a : message.path("attachments")) {
      if (part.equals(a.path("part").asText())) {
        attachment = a;
      }
    }
    if (attachment == null) {
      throw new GatewayException.NotFound(
          "message "
              + messageId
              + " has no attachment at part "
              + part
              + "; the message's attachments list the parts there are");
    }
    String filename = attachment.path("filename").asText(null);
    String storedType = attachment.path("contentType").asText(null);
    String gone = "the message has no location on the server";
    for (JsonNode at : message.path("locations")) {
      Location location =
          new Location(
              at.path("mailbox").asText(),
              at.path("uidValidity").asLong(),
              at.path("uid").asLong(),
              part);
      Answer answer;
      try {
        answer = connector.fetch(accountId, location);
      } catch (RuntimeException e) {
        // No service token (Keycloak unreachable): nothing was asked of the connector.
        throw unavailable("the gateway could not get its service token: " + e.getMessage(), e);
      }
      switch (answer) {
        case Streaming s -> {
          return new Part(
              filename == null ? "part-" + part : filename,
              s.contentType() != null ? s.contentType() : fallbackType(storedType),
              s.length(),
              s.body());
        }
        case Refused r when r.status() == 410 -> gone = r.detail(); // try the next location
        case Refused r -> throw refused(messageId, part, r);
        case NotHeld n ->
            throw unavailable(
                "no connector instance holds the account right now (it may be moving to another"
                    + " instance); try again in a few seconds",
                null);
        case Unreachable u ->
            throw unavailable(
                "the connector is not reachable (" + u.reason() + "); try again", null);
      }
    }
    throw new GatewayException.Gone(
        "attachment-gone",
        "the message is no longer where the store last saw it on the server ("
            + gone
            + "); reload the message, the store catches up within seconds");
  }

  private static GatewayException refused(String messageId, String part, Refused r) {
    return switch (r.status()) {
      case 404 ->
          new GatewayException.NotFound(
              "message " + messageId + " has no part " + part + " on the server: " + r.detail());
      case 429 ->
          new GatewayException.TooManyRequests(
              "downloads-busy", r.detail(), r.retryAfterSeconds().orElse(5L));
      case 502 ->
          new GatewayException.UpstreamFailed(
              "mail-server-failed", "Mail server could not be read", r.detail());
      default -> {
        // 400, 401, 403: the gateway asked wrongly or lacks the role attachments.read (ADR 0007).
        Log.errorf("connector refused an attachment download: HTTP %d %s", r.status(), r.detail());
        yield new GatewayException.UpstreamFailed(
            "connector-refused",
            "Connector refused",
            "the connector refused the download (HTTP " + r.status() + "); the error is logged");
      }
    };
  }

  private static GatewayException unavailable(String detail, Throwable cause) {
    return GatewayException.Unavailable.attachments(detail, cause);
  }

  private static String fallbackType(String stored) {
    return stored == null || stored.isBlank() ? "application/octet-stream" : stored;
  }
}
