package dev.mailroom.connector.verify;

import dev.mailroom.events.account.Security;
import io.smallrye.common.annotation.RunOnVirtualThread;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

/**
 * Internal API for the gateway's admin host change: does a new host name serve the account's
 * mailbox? Not exposed publicly; the gateway is the only caller.
 */
@Path("/internal/accounts/verify-same-mailbox")
public class SameMailboxResource {

  private final SameMailboxCheck check;

  SameMailboxResource(SameMailboxCheck check) {
    this.check = check;
  }

  /** Always 200 when the request was readable: "different" is a result, not an error. */
  @POST
  @RunOnVirtualThread
  public SameMailboxResult check(SameMailboxRequest request) {
    if (request == null
        || request.accountId() == null
        || request.current() == null
        || request.proposed() == null
        || request.password() == null) {
      throw new BadRequestException("accountId, current, proposed and password are required");
    }
    if (!request.current().username().equals(request.proposed().username())) {
      // The same credentials on both hosts is what makes the comparison mean anything.
      throw new BadRequestException("current and proposed must name the same username");
    }
    if (request.proposed().security() == Security.NONE) {
      // The password would cross the network in clear to a host nothing vouches for yet. Over
      // TLS or STARTTLS (required, never skipped) the certificate must pass the normal checks or
      // match the account's pin before LOGIN is sent.
      throw new BadRequestException(
          "proposed.security must be tls or starttls: a host change never"
              + " sends the password in clear");
    }
    return check.check(request);
  }
}
