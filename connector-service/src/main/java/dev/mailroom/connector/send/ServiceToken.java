package dev.mailroom.connector.send;

import io.quarkus.oidc.client.OidcClient;
import io.quarkus.oidc.client.Tokens;
import java.time.Duration;

/**
 * The connector's own access token for sync-service (client credentials of mailroom-connector, ADR
 * 0007), fetched once and again shortly before it expires; never a user's token.
 */
final class ServiceToken {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private final OidcClient client;
  private Tokens tokens;

  ServiceToken(OidcClient client) {
    this.client = client;
  }

  synchronized String get() {
    if (tokens == null
        || tokens.isAccessTokenExpired()
        || tokens.isAccessTokenWithinRefreshInterval()) {
      tokens = client.getTokens().await().atMost(WAIT);
    }
    return tokens.getAccessToken();
  }
}
