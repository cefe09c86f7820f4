package dev.mailroom.gateway.problem;

import dev.mailroom.gateway.problem.Problem.FieldError;
import java.util.List;

/**
 * Every failure the gateway reports on purpose. Each kind knows its HTTP status and problem type;
 * {@link ProblemMappers} turns it into an RFC 9457 body. Transient kinds ({@link Unavailable}) tell
 * the client to retry, permanent ones tell it what to fix.
 */
public abstract sealed class GatewayException extends RuntimeException {

  private final int status;
  private final String slug;
  private final String title;

  private GatewayException(int status, String slug, String title, String detail, Throwable cause) {
    super(detail, cause, false, false);
    this.status = status;
    this.slug = slug;
    this.title = title;
  }

  public int status() {
    return status;
  }

  public String detail() {
    return getMessage();
  }

  /** The field errors of the problem; empty unless the request did not validate. */
  public List<FieldError> errors() {
    return List.of();
  }

  /** For a refused connection: the category and remedy; null otherwise. */
  public Problem.ConnectionFailure connection() {
    return null;
  }

  public Problem toProblem(String instance) {
    return new Problem(
        Problem.TYPE_PREFIX + slug, title, status, detail(), instance, errors(), connection());
  }

  /**
   * Nothing the caller may see exists under this name. Answered the same way whether the object
   * does not exist or belongs to someone else, so ids cannot be probed.
   */
  public static final class NotFound extends GatewayException {
    public NotFound(String detail) {
      super(404, "not-found", "Not found", detail, null);
    }

    public static NotFound account(String id) {
      return new NotFound("there is no account " + id + " among yours");
    }
  }

  /**
   * "Mailboxes not configured": an action needs a mailbox role (archive, trash, junk, ...) that no
   * mailbox of the account plays. Each missing role is a field error {@code roles.<role>}; the
   * detail says how to fix it. Nothing was sent to the server.
   */
  public static final class MailboxesNotConfigured extends GatewayException {
    private final List<FieldError> errors;

    public MailboxesNotConfigured(String detail, List<FieldError> errors) {
      super(409, "mailboxes-not-configured", "Mailboxes not configured", detail, null);
      this.errors = List.copyOf(errors);
    }

    @Override
    public List<FieldError> errors() {
      return errors;
    }
  }

  /** The object existed but is no longer there to act on; the detail says why and what to do. */
  public static final class Gone extends GatewayException {
    public Gone(String slug, String detail) {
      super(410, slug, "Gone", detail, null);
    }
  }

  /** The request is well-formed JSON (or has no body) but its values do not fit. */
  public static final class InvalidRequest extends GatewayException {
    private final List<FieldError> errors;

    public InvalidRequest(List<FieldError> errors) {
      this(FieldErrors.describe(errors), errors);
    }

    public InvalidRequest(String detail, List<FieldError> errors) {
      super(400, "invalid-request", "The request is not valid", detail, null);
      this.errors = List.copyOf(errors);
    }

    @Override
    public List<FieldError> errors() {
      return errors;
    }
  }

  /** The body is not JSON, or not JSON of the expected shape. */
  public static final class MalformedBody extends GatewayException {
    private final List<FieldError> errors;

    public MalformedBody(String detail, List<FieldError> errors) {
      super(400, "malformed-body", "The request body cannot be read", detail, null);
      this.errors = List.copyOf(errors);
    }

    @Override
    public List<FieldError> errors() {
      return errors;
    }
  }

  /** The token is valid but says nothing the gateway can authorise with (no subject). */
  public static final class Forbidden extends GatewayException {
    public Forbidden(String detail) {
      super(403, "forbidden", "Forbidden", detail, null);
    }
  }

  /** A service the gateway depends on cannot be reached: transient, the client should retry. */
  public static final class Unavailable extends GatewayException {
    /** Seconds a client should wait before it retries (the {@code Retry-After} header). */
    public static final int RETRY_AFTER_SECONDS = 5;

    private Unavailable(String slug, String title, String detail, Throwable cause) {
      super(503, slug, title, detail, cause);
    }

    public static Unavailable messageStore(Throwable cause) {
      return new Unavailable(
          "message-store-unavailable",
          "Message store unavailable",
          "the message store is not reachable, try again",
          cause);
    }

    public static Unavailable connector(Throwable cause) {
      return new Unavailable(
          "connector-unavailable",
          "Connection check unavailable",
          "the settings could not be verified because the connector is not reachable; nothing was"
              + " saved, try again",
          cause);
    }

    /** An attachment could not be fetched from the connector for now; the detail says why. */
    public static Unavailable attachments(String detail, Throwable cause) {
      return new Unavailable(
          "attachment-source-unavailable", "Attachment source unavailable", detail, cause);
    }

    public static Unavailable search(Throwable cause) {
      return new Unavailable(
          "search-unavailable",
          "Search unavailable",
          "the search service is not reachable, try again",
          cause);
    }

    public static Unavailable health(Throwable cause) {
      return new Unavailable(
          "health-unavailable",
          "Account status unavailable",
          "the account's status service is not reachable, try again",
          cause);
    }

    public static Unavailable accountRead(Throwable cause) {
      return new Unavailable(
          "event-log-unavailable",
          "Event log unavailable",
          "the account's current definition could not be read from the event log; nothing was"
              + " changed, try again",
          cause);
    }

    public static Unavailable eventLog(Throwable cause) {
      return new Unavailable(
          "event-log-unavailable",
          "Event log unavailable",
          "the account could not be recorded because the event log is not reachable; nothing was"
              + " saved, try again",
          cause);
    }

    public static Unavailable commandLog(Throwable cause) {
      return new Unavailable(
          "event-log-unavailable",
          "Event log unavailable",
          "the action could not be recorded because the event log is not reachable; nothing was"
              + " done, try again",
          cause);
    }

    public static Unavailable commandUnconfirmed(Throwable cause) {
      return new Unavailable(
          "event-log-unconfirmed",
          "Event log did not confirm",
          "the event log did not confirm the action in time, so it may or may not be recorded;"
              + " send it again with the same Idempotency-Key, which cannot apply it twice",
          cause);
    }

    /**
     * The gateway stopped waiting before the broker answered either way, so the record may still be
     * written: the client must look before it sends the account again, or it may get two.
     */
    public static Unavailable eventLogUnconfirmed(Throwable cause) {
      return new Unavailable(
          "event-log-unconfirmed",
          "Event log did not confirm",
          "the event log did not confirm the account in time, so it may or may not be saved;"
              + " list your accounts before you add it again",
          cause);
    }
  }

  /**
   * The request is valid but cannot be accepted as it is: an IMAP server that refused the login,
   * POP, ProtonMail, or no encryption without acknowledgement. The detail says what to do.
   */
  public static final class Unprocessable extends GatewayException {
    private final Problem.ConnectionFailure connection;

    public Unprocessable(
        String slug, String title, String detail, Problem.ConnectionFailure connection) {
      super(422, slug, title, detail, null);
      this.connection = connection;
    }

    @Override
    public Problem.ConnectionFailure connection() {
      return connection;
    }
  }

  /** The request conflicts with the account as it is (e.g. reconnecting a connected account). */
  public static final class Conflict extends GatewayException {
    private final Problem.ConnectionFailure connection;

    public Conflict(String slug, String detail) {
      this(slug, detail, null);
    }

    /**
     * @param connection why a server could not be read, when that is the conflict; or null
     */
    public Conflict(String slug, String detail, Problem.ConnectionFailure connection) {
      super(409, slug, "Conflict", detail, null);
      this.connection = connection;
    }

    @Override
    public Problem.ConnectionFailure connection() {
      return connection;
    }
  }

  /** A service the gateway depends on answered, but with an error the gateway cannot pass on. */
  public static final class UpstreamFailed extends GatewayException {
    public UpstreamFailed(String detail) {
      super(502, "message-store-failed", "Message store failed", detail, null);
    }

    /** Another upstream than the store: the connector, or a mail server through it. */
    public UpstreamFailed(String slug, String title, String detail) {
      super(502, slug, title, detail, null);
    }
  }

  /** The caller did this too often: 429, with the seconds to wait in {@code Retry-After}. */
  public static final class TooManyRequests extends GatewayException {
    private final long retryAfterSeconds;

    public TooManyRequests(String slug, String detail, long retryAfterSeconds) {
      super(429, slug, "Too many requests", detail, null);
      this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    public long retryAfterSeconds() {
      return retryAfterSeconds;
    }
  }
}
