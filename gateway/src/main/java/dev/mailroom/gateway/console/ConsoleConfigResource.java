package dev.mailroom.gateway.console;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * What the console (static files at {@code /}) needs to sign in: the realm and its public client.
 * Public, like the login page it leads to; it holds no secret (the console's client has none).
 */
@Path("/console/config")
public class ConsoleConfigResource {

  private final Map<String, String> config;

  public ConsoleConfigResource(
      @ConfigProperty(name = "quarkus.oidc.auth-server-url") String realm,
      @ConfigProperty(name = "mailroom.console.issuer") Optional<String> publicRealm,
      @ConfigProperty(name = "mailroom.console.client-id", defaultValue = "mailroom-console")
          String clientId) {
    // Behind a proxy the realm's address for browsers may differ from the gateway's own.
    this.config = Map.of("issuer", publicRealm.orElse(realm), "clientId", clientId);
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(hidden = true)
  public Map<String, String> get() {
    return config;
  }
}
