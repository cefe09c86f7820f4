package dev.mailroom.gateway.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailroom.events.EventCodec;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.net.ConnectException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProblemMappersTest {

  private final ProblemMappers mappers = new ProblemMappers();

  @Test
  void notFoundIsA404Problem() {
    Response response = mappers.gateway(GatewayException.NotFound.account("abc"), null);

    assertThat(response.getStatus()).isEqualTo(404);
    assertThat(response.getMediaType().toString()).isEqualTo("application/problem+json");
    Problem problem = (Problem) response.getEntity();
    assertThat(problem.type()).isEqualTo("urn:mailroom:problem:not-found");
    assertThat(problem.status()).isEqualTo(404);
    assertThat(problem.detail()).contains("abc");
  }

  @Test
  void anUnreachableMessageStoreIsA503WithRetryAfter() {
    Response response =
        mappers.gateway(
            GatewayException.Unavailable.messageStore(new ConnectException("refused")), null);

    assertThat(response.getStatus()).isEqualTo(503);
    assertThat(response.getHeaderString(HttpHeaders.RETRY_AFTER)).isEqualTo("5");
    assertThat(((Problem) response.getEntity()).detail())
        .isEqualTo("the message store is not reachable, try again");
  }

  @Test
  void bodyThatIsNotJsonIsA400ThatDoesNotQuoteIt() {
    JsonProcessingException parse =
        catchThrowableOfType(
            JsonProcessingException.class,
            () -> new ObjectMapper().readTree("{\"password\": hunter2-secret}"));
    assertThat(parse.getMessage()).contains("hunter2");

    Response response =
        mappers.webApplication(
            new WebApplicationException(parse, Response.Status.BAD_REQUEST), null);

    assertThat(response.getStatus()).isEqualTo(400);
    Problem problem = (Problem) response.getEntity();
    assertThat(problem.type()).isEqualTo("urn:mailroom:problem:malformed-body");
    assertThat(problem.detail()).startsWith("the request body is not valid JSON (line 1");
    assertThat(problem.toString()).doesNotContain("hunter2");
  }

  @Test
  void jaxRsErrorsBecomeProblemsAndKeepTheirHeaders() {
    Response response =
        mappers.webApplication(new NotAllowedException("GET", new String[] {"POST"}), null);

    assertThat(response.getStatus()).isEqualTo(405);
    assertThat(response.getHeaderString(HttpHeaders.ALLOW)).contains("GET");
    assertThat(((Problem) response.getEntity()).type()).isEqualTo("about:blank");
  }

  @Test
  void problemJsonLeavesOutEmptyMembers() throws Exception {
    Problem plain = GatewayException.NotFound.account("x").toProblem("/api/accounts/x");
    Problem invalid =
        new GatewayException.InvalidRequest(
                List.of(new Problem.FieldError("host", "must not be blank")))
            .toProblem("/api/accounts");

    assertThat(EventCodec.mapper().writeValueAsString(plain)).doesNotContain("errors");
    assertThat(EventCodec.mapper().readTree(EventCodec.mapper().writeValueAsString(invalid)))
        .hasToString(
            "{\"type\":\"urn:mailroom:problem:invalid-request\",\"title\":\"The request is not"
                + " valid\",\"status\":400,\"detail\":\"1 field is invalid: host (must not be"
                + " blank)\",\"instance\":\"/api/accounts\","
                + "\"errors\":[{\"field\":\"host\",\"message\":\"must not be blank\"}]}");
  }
}
