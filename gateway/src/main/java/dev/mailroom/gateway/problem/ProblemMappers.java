package dev.mailroom.gateway.problem;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.mailroom.gateway.problem.Problem.FieldError;
import io.quarkus.hibernate.validator.runtime.jaxrs.ResteasyReactiveViolationException;
import io.quarkus.logging.Log;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Maps every error to an RFC 9457 {@code application/problem+json} response.
 *
 * <p>Quarkus has its own mappers for two of these, and neither fits: Jackson errors come out as
 * Quarkus's {@code MismatchedJsonInputError} (or an empty 400 when the body is not JSON at all,
 * since {@code ServerJacksonMessageBodyReader} wraps parse errors in a bare {@code
 * WebApplicationException}), and Bean Validation failures as a {@code ViolationReport}. A mapper
 * for a more specific exception class wins over Quarkus's, so these take over.
 */
public class ProblemMappers {

  @ServerExceptionMapper
  public Response gateway(GatewayException e, UriInfo uri) {
    if (e.status() >= 500) {
      Log.warnf(
          "%s answered %d: %s (cause: %s)",
          path(uri), e.status(), e.detail(), describe(e.getCause()));
    }
    Response.ResponseBuilder response = problem(e.toProblem(path(uri)));
    if (e instanceof GatewayException.Unavailable) {
      response.header(HttpHeaders.RETRY_AFTER, GatewayException.Unavailable.RETRY_AFTER_SECONDS);
    }
    if (e instanceof GatewayException.TooManyRequests tooMany) {
      response.header(HttpHeaders.RETRY_AFTER, tooMany.retryAfterSeconds());
    }
    return response.build();
  }

  /** Bean Validation of a request body or a parameter (quarkus-hibernate-validator). */
  @ServerExceptionMapper
  public Response violations(ResteasyReactiveViolationException e, UriInfo uri) {
    if (FieldErrors.isAboutReturnValue(e.getConstraintViolations())) {
      Log.errorf("%s produced an invalid response: %s", path(uri), e.getMessage());
      return problem(internalError(path(uri))).build();
    }
    List<FieldError> errors = FieldErrors.fromViolations(e.getConstraintViolations());
    return gateway(new GatewayException.InvalidRequest(errors), uri);
  }

  /**
   * JSON that parses but does not bind: a string where a number belongs, an array for an object.
   */
  @ServerExceptionMapper
  public Response mismatchedInput(MismatchedInputException e, UriInfo uri) {
    FieldError error = FieldErrors.fromMismatchedInput(e);
    String detail =
        FieldErrors.BODY.equals(error.field())
            ? "the request body " + error.message()
            : "the request body has the wrong type for "
                + error.field()
                + ": it "
                + error.message();
    return gateway(new GatewayException.MalformedBody(detail, List.of(error)), uri);
  }

  /**
   * JAX-RS's own errors (unknown path, wrong method or media type) and the bare 400 that Quarkus
   * REST throws when the body is not JSON at all. Headers such as {@code Allow} are kept.
   */
  @ServerExceptionMapper
  public Response webApplication(WebApplicationException e, UriInfo uri) {
    Response original = e.getResponse();
    int status = original.getStatus();
    if (status < 400) {
      return original;
    }
    if (e.getCause() instanceof JsonProcessingException json) {
      return gateway(new GatewayException.MalformedBody(notJson(json), List.of()), uri);
    }
    Response.StatusType type = Response.Status.fromStatusCode(status);
    String reason = type == null ? "HTTP " + status : type.getReasonPhrase();
    // RFC 9457 §4.2.1: about:blank when the status code says all there is to say.
    Problem problem = new Problem("about:blank", reason, status, reason, path(uri), List.of());
    Response.ResponseBuilder response = problem(problem);
    original
        .getStringHeaders()
        .forEach(
            (name, values) -> {
              if (!HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name)
                  && !HttpHeaders.CONTENT_LENGTH.equalsIgnoreCase(name)) {
                values.forEach(value -> response.header(name, value));
              }
            });
    return response.build();
  }

  /** Anything else is the gateway's bug: logged in full here, opaque to the client. */
  @ServerExceptionMapper
  public Response unexpected(Exception e, UriInfo uri) {
    Log.errorf(e, "%s failed unexpectedly", path(uri));
    return problem(internalError(path(uri))).build();
  }

  static Response.ResponseBuilder problem(Problem problem) {
    return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
  }

  private static Problem internalError(String instance) {
    return new Problem(
        Problem.TYPE_PREFIX + "internal-error",
        "Internal error",
        500,
        "the gateway failed unexpectedly; the error is in its log",
        instance,
        List.of());
  }

  /**
   * Where the JSON broke, but not what was there: Jackson's message quotes the offending token,
   * which could be a password typed into the wrong place.
   */
  static String notJson(JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    if (at == null || at.getLineNr() < 1) {
      return "the request body is not valid JSON";
    }
    return "the request body is not valid JSON (line "
        + at.getLineNr()
        + ", column "
        + at.getColumnNr()
        + ")";
  }

  private static String path(UriInfo uri) {
    return uri == null ? null : uri.getRequestUri().getRawPath();
  }

  private static String describe(Throwable cause) {
    if (cause == null) {
      return "none";
    }
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == cause
        ? cause.getClass().getSimpleName() + ": " + cause.getMessage()
        : cause.getClass().getSimpleName()
            + " <- "
            + root.getClass().getSimpleName()
            + ": "
            + root.getMessage();
  }
}
