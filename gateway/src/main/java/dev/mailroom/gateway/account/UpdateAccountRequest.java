package dev.mailroom.gateway.account;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Null;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of {@code PATCH /api/accounts/{id}}: only the fields sent change. A field that is absent
 * or null stays as it is; an empty {@code displayName} or {@code email} clears it.
 *
 * <p>{@code host}, {@code port}, {@code security} and {@code smtpHost} are accepted only so that a
 * client which sends the account back as it read it is not refused: any change of them is a 409
 * (see {@link AccountUpdate}), since another host name may reach another mailbox.
 */
public record UpdateAccountRequest(
    @Size(max = 200) String displayName,
    @Email @Size(max = 320) String email,
    @Size(max = 253) String host,
    @Min(1) @Max(65535) Integer port,
    @Pattern(
            regexp = "(?i)tls|starttls|none",
            message = "must be one of " + NewAccountRequest.SECURITY_VALUES)
        String security,
    @Size(max = 253) String smtpHost,
    @Null(
            message =
                "cannot be changed by PATCH (it was silently ignored before): use"
                    + " PUT /api/accounts/{id}/password, which checks the new password with the server first")
        @Schema(hidden = true)
        String password) {

  /** A request must never print its password, whoever logs it. */
  @Override
  public String toString() {
    return "UpdateAccountRequest[displayName="
        + displayName
        + ", email="
        + email
        + ", host="
        + host
        + ", port="
        + port
        + ", security="
        + security
        + ", smtpHost="
        + smtpHost
        + (password == null ? "" : ", password=(hidden)")
        + "]";
  }
}
