package dev.mailroom.connector.verify;

import io.smallrye.common.annotation.RunOnVirtualThread;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

/**
 * Internal API for the gateway: verifies an account's settings and credentials before the account
 * is saved. Not exposed publicly; the gateway is the only caller.
 */
@Path("/internal/verify")
public class VerifyResource {

  private final CredentialCheck check;

  VerifyResource(CredentialCheck check) {
    this.check = check;
  }

  /** Always 200 when the request was readable: a refused login is a result, not an error. */
  @POST
  @RunOnVirtualThread
  public VerifyResult verify(VerifyRequest request) {
    if (request == null
        || request.accountId() == null
        || request.imap() == null
        || request.password() == null) {
      throw new BadRequestException("accountId, imap and password are required");
    }
    return check.verify(request);
  }
}
