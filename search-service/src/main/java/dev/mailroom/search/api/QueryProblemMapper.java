package dev.mailroom.search.api;

import dev.mailroom.search.query.QueryException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.Map;

/** A refused query or parameter is a 400 problem (RFC 9457) whose detail names what to fix. */
@Provider
public class QueryProblemMapper implements ExceptionMapper<QueryException> {

  @Override
  public Response toResponse(QueryException e) {
    return Response.status(400)
        .type("application/problem+json")
        .entity(
            Map.of(
                "type",
                "urn:mailroom:problem:bad-search",
                "title",
                "Bad search",
                "status",
                400,
                "detail",
                e.getMessage()))
        .build();
  }
}
