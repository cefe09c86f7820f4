package dev.mailroom.gateway.sync;

import dev.mailroom.gateway.problem.GatewayException;
import dev.mailroom.gateway.problem.Problem.FieldError;
import java.util.ArrayList;
import java.util.List;

/**
 * One page of a mailbox, as asked for in the query string. {@code limit} arrives as text and is
 * parsed here: JAX-RS answers 404 to a query parameter that does not convert, which would tell the
 * client nothing about its mistake.
 *
 * @param cursor opaque to the gateway: whatever sync-service put in the last page's {@code
 *     nextCursor}
 */
public record MessageQuery(String mailbox, int limit, String cursor) {

  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 200;

  /**
   * @throws GatewayException.InvalidRequest naming every parameter that is wrong
   */
  public static MessageQuery of(String mailbox, String limit, String cursor) {
    List<FieldError> errors = new ArrayList<>();
    if (mailbox == null || mailbox.isBlank()) {
      errors.add(new FieldError("mailbox", "is required, for example mailbox=INBOX"));
    }
    int pageSize = DEFAULT_LIMIT;
    if (limit != null && !limit.isBlank()) {
      try {
        pageSize = Integer.parseInt(limit.trim());
      } catch (NumberFormatException e) {
        pageSize = -1;
      }
      if (pageSize < 1 || pageSize > MAX_LIMIT) {
        errors.add(new FieldError("limit", "must be a whole number from 1 to " + MAX_LIMIT));
      }
    }
    if (!errors.isEmpty()) {
      throw new GatewayException.InvalidRequest(errors);
    }
    return new MessageQuery(mailbox, pageSize, cursor == null || cursor.isBlank() ? null : cursor);
  }
}
