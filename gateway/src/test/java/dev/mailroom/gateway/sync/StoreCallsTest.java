package dev.mailroom.gateway.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mailroom.gateway.problem.GatewayException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class StoreCallsTest {

  @Test
  void aMissingThingIsA404WithWhatTheCallerSaysIsMissing() {
    var e =
        catchThrowableOfType(
            GatewayException.NotFound.class,
            () ->
                StoreCalls.call(
                    () -> {
                      throw new WebApplicationException(404);
                    },
                    "there is no message m1 in account a1"));
    assertThat(e.detail()).isEqualTo("there is no message m1 in account a1");
  }

  @Test
  void aStoreThatFailsOrCannotBeReachedIsUnavailable() {
    var failed =
        catchThrowableOfType(
            GatewayException.Unavailable.class,
            () ->
                StoreCalls.call(
                    () -> {
                      throw new WebApplicationException(503);
                    }));
    assertThat(failed.status()).isEqualTo(503);
    var unreachable =
        catchThrowableOfType(
            GatewayException.Unavailable.class,
            () ->
                StoreCalls.call(
                    () -> {
                      throw new ProcessingException(new ConnectException("Connection refused"));
                    }));
    assertThat(unreachable.status()).isEqualTo(503);
  }

  @Test
  void anyOtherRefusalIsTheStoresFailureWithItsStatus() {
    var e =
        catchThrowableOfType(
            GatewayException.UpstreamFailed.class,
            () ->
                StoreCalls.call(
                    () -> {
                      throw new WebApplicationException(409);
                    }));
    assertThat(e.status()).isEqualTo(502);
    assertThat(e.detail()).contains("HTTP 409");
  }
}
