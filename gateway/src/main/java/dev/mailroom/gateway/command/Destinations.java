package dev.mailroom.gateway.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailroom.gateway.problem.GatewayException;
import dev.mailroom.gateway.problem.Problem.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Turns a role or a path into a mailbox of the account, or says what is missing. A role that no
 * mailbox plays is the "Mailboxes not configured" conflict: nothing is sent to the server.
 */
final class Destinations {

  static final Set<String> MOVE_ROLES = Set.of("archive", "trash", "junk", "inbox");

  private Destinations() {}

  /**
   * @param roles sync-service's {@code GET .../roles} answer
   */
  static String ofRole(String accountId, String role, JsonNode roles) {
    if (role.equals("inbox")) {
      return "INBOX"; // RFC 9051 §5.1: INBOX always exists, in every account
    }
    JsonNode mapped = roles.path("roles").path(role);
    if (mapped.isMissingNode() || mapped.isNull() || !mapped.hasNonNull("path")) {
      throw notConfigured(accountId, List.of(role));
    }
    return mapped.path("path").asText();
  }

  static GatewayException.MailboxesNotConfigured notConfigured(
      String accountId, List<String> missing) {
    String roles = String.join(", ", missing);
    List<FieldError> errors = new ArrayList<>();
    missing.forEach(
        r ->
            errors.add(
                new FieldError("roles." + r, "no mailbox of this account plays the role " + r)));
    return new GatewayException.MailboxesNotConfigured(
        "Mailboxes not configured: no mailbox plays the role "
            + roles
            + " in this account,"
            + " so nothing was sent to the server. Map an existing mailbox to it with PUT /api/accounts/"
            + accountId
            + "/roles {\""
            + missing.getFirst()
            + "\": \"<mailbox path>\"}, or create the mailbox on the server"
            + " (or with POST /api/accounts/"
            + accountId
            + "/mailboxes) and map it.",
        errors);
  }

  /** A path the account's mailbox list holds, exactly as listed. */
  static String ofPath(String path, JsonNode mailboxes) {
    for (JsonNode m : mailboxes) {
      if (path.equals(m.path("path").asText())) {
        return path;
      }
    }
    throw new GatewayException.InvalidRequest(
        List.of(
            new FieldError(
                "mailbox",
                "there is no mailbox '"
                    + path
                    + "' in this account; GET /api/accounts/{id}/mailboxes lists them")));
  }
}
