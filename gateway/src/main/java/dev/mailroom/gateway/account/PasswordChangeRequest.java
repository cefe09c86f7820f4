package dev.mailroom.gateway.account;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code PUT /api/accounts/{id}/password}. */
public record PasswordChangeRequest(
    @NotBlank @Size(max = 1024) @Schema(writeOnly = true, format = "password") String password) {

  @Override
  public String toString() {
    return "PasswordChangeRequest[password=(hidden)]";
  }
}
