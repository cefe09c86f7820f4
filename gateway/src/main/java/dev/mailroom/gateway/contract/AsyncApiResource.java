package dev.mailroom.gateway.contract;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Serves the AsyncAPI document of the topics, without a token like {@code /q/openapi}: it says what
 * travels on Kafka, never what an account holds.
 */
@Path("/asyncapi")
public class AsyncApiResource {

  private final ObjectNode document;

  @Inject
  public AsyncApiResource(ObjectMapper json) {
    this.document = AsyncApiDocument.generate(json);
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(hidden = true)
  public ObjectNode get() {
    return document;
  }
}
