package dev.mailroom.health.connection;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready while the connection consumer waits for the database ({@link StoreRetry}). Readiness,
 * not liveness: it goes on by itself once the database is back. A channel that really died is
 * SmallRye's liveness check.
 */
@Readiness
@ApplicationScoped
public class ConsumerReadiness implements HealthCheck {

  private final StoreRetry retry;

  ConsumerReadiness(StoreRetry retry) {
    this.retry = retry;
  }

  @Override
  public HealthCheckResponse call() {
    var response = HealthCheckResponse.named("connection-events").up();
    retry
        .stall()
        .ifPresent(
            stall ->
                response
                    .down()
                    .withData(
                        "waiting for the database since",
                        stall.since() + " (" + stall.attempts() + " attempts): " + stall.reason()));
    return response.build();
  }
}
