package dev.mailroom.gateway.limit;

import dev.mailroom.gateway.problem.GatewayException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The per-user limits, answered as 429 with {@code Retry-After}. Counted per gateway instance: with
 * N instances behind a balancer a user gets at most N times the limit, which still bounds what one
 * user can make the platform do; a shared counter would cost a round trip per request.
 */
@ApplicationScoped
public class UserLimits {

  private final LimitsConfig config;
  private final SlidingWindow credentialChecks;
  private final SlidingWindow searches;

  @Inject
  public UserLimits(LimitsConfig config) {
    this.config = config;
    this.credentialChecks =
        new SlidingWindow(config.credentialChecks(), config.window(), System::nanoTime);
    this.searches = new SlidingWindow(config.searches(), config.window(), System::nanoTime);
  }

  /**
   * @throws GatewayException.TooManyRequests when the user checked credentials too often
   */
  public void credentialCheck(String ownerId) {
    credentialChecks
        .tryAcquire(ownerId)
        .ifPresent(
            seconds -> {
              throw new GatewayException.TooManyRequests(
                  "too-many-credential-checks",
                  "at most "
                      + config.credentialChecks()
                      + " credential checks (new accounts, passwords,"
                      + " certificates) per "
                      + config.window().toSeconds()
                      + " s; try again in "
                      + seconds
                      + " s",
                  seconds);
            });
  }

  /**
   * @throws GatewayException.TooManyRequests when the user searched too often
   */
  public void search(String ownerId) {
    searches
        .tryAcquire(ownerId)
        .ifPresent(
            seconds -> {
              throw new GatewayException.TooManyRequests(
                  "too-many-searches",
                  "at most "
                      + config.searches()
                      + " searches per "
                      + config.window().toSeconds()
                      + " s; try again in "
                      + seconds
                      + " s",
                  seconds);
            });
  }

  /**
   * @throws GatewayException.TooManyRequests when the user holds the most accounts allowed
   */
  public void newAccount(int accountsHeld) {
    if (accountsHeld >= config.accountsPerUser()) {
      // Not a matter of time: Retry-After is a day, and the detail says what to do instead.
      throw new GatewayException.TooManyRequests(
          "too-many-accounts",
          "you hold "
              + accountsHeld
              + " accounts, the most one user may have ("
              + config.accountsPerUser()
              + "); delete one (DELETE /api/accounts/{id}) to add another",
          86_400);
    }
  }
}
