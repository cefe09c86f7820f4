package dev.mailroom.connector.ownership;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the ownership consumer talks to Kafka: before that this instance holds nothing. */
@Readiness
@ApplicationScoped
public class OwnershipReadiness implements HealthCheck {

  private final AccountOwnership ownership;

  OwnershipReadiness(AccountOwnership ownership) {
    this.ownership = ownership;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("account-ownership")
        .status(ownership.isPolling(Duration.ofSeconds(30)))
        .build();
  }
}
