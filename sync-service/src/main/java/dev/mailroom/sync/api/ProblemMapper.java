package dev.mailroom.sync.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error of the query API as an RFC 9457 problem. */
public class ProblemMapper {

  @ServerExceptionMapper
  public Response map(WebApplicationException e) {
    int status = e.getResponse().getStatus();
    Map<String, Object> problem = new LinkedHashMap<>();
    problem.put("type", "about:blank");
    problem.put(
        "title",
        Response.Status.fromStatusCode(status) == null
            ? "Error"
            : Response.Status.fromStatusCode(status).getReasonPhrase());
    problem.put("status", status);
    problem.put("detail", e.getMessage());
    return Response.status(status).type("application/problem+json").entity(problem).build();
  }
}
