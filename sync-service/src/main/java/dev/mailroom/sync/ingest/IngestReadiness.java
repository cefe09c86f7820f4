package dev.mailroom.sync.ingest;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready while a consumer waits for the database or the broker ({@link TransientRetry}), with
 * what it waits for and since when. Readiness, not liveness: the consumer goes on by itself once
 * the dependency is back, and a restart would only replay what it already holds. A channel that
 * really died is SmallRye's liveness check.
 */
@Readiness
@ApplicationScoped
public class IngestReadiness implements HealthCheck {

  private final TransientRetry retry;

  IngestReadiness(TransientRetry retry) {
    this.retry = retry;
  }

  @Override
  public HealthCheckResponse call() {
    var response = HealthCheckResponse.named("mail-ingest").up();
    for (TransientRetry.Stall stall : retry.stalls()) {
      response
          .down()
          .withData(
              stall.step(),
              "waiting since "
                  + stall.since()
                  + " ("
                  + stall.attempts()
                  + " attempts): "
                  + stall.reason());
    }
    return response.build();
  }
}
