package dev.mailroom.gateway.account;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

/**
 * The body of {@code PUT /api/accounts/{id}/certificate}: the fingerprint the owner saw in the
 * account's last error ({@code certificateSha256}) and approves.
 */
public record CertificateApproval(
    @NotBlank
        @Pattern(regexp = "[0-9a-fA-F:]{64,95}", message = "must be a SHA-256 fingerprint in hex")
        String certificateSha256) {}
