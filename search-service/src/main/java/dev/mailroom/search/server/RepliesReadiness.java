package dev.mailroom.search.server;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the reply topic is being read: a server search asked before would lose its reply and
 * always end at its deadline with the local answer.
 */
@Readiness
@ApplicationScoped
public class RepliesReadiness implements HealthCheck {

  private final ServerSearches server;

  RepliesReadiness(ServerSearches server) {
    this.server = server;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("search-replies").status(server.listening()).build();
  }
}
