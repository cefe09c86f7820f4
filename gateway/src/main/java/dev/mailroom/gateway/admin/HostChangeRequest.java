package dev.mailroom.gateway.admin;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of {@code POST /api/admin/accounts/{id}/host}: where the account's IMAP server is to be
 * reached from now on. The username and password stay the account's own: logging in with them on
 * both hosts is what the check compares.
 *
 * @param acknowledgeNoEncryption ignored: a host change never uses {@code security: none}, which is
 *     refused with 422 encryption-required (kept so older clients' bodies still parse)
 */
public record HostChangeRequest(
    @NotBlank @Size(max = 253) String host,
    @NotNull(message = "is required") @Min(1) @Max(65535) Integer port,
    @NotBlank
        @Pattern(regexp = "(?i)tls|starttls|none", message = "must be one of tls, starttls, none")
        @Schema(enumeration = {"tls", "starttls", "none"})
        String security,
    Boolean acknowledgeNoEncryption) {}
