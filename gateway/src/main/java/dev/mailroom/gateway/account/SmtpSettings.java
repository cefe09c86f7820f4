package dev.mailroom.gateway.account;

import dev.mailroom.events.account.Security;
import dev.mailroom.events.account.SmtpEndpoint;
import dev.mailroom.gateway.preset.Preset;
import dev.mailroom.gateway.problem.FieldErrors;
import dev.mailroom.gateway.problem.GatewayException;
import dev.mailroom.gateway.problem.Problem.FieldError;
import java.util.ArrayList;
import java.util.List;

/**
 * The SMTP settings of a new account: the ones sent, else the preset's for its provider, else none
 * (the account then does not send). The SMTP login is the IMAP one unless another is given.
 */
final class SmtpSettings {

  private SmtpSettings() {}

  /**
   * @throws GatewayException.InvalidRequest naming the SMTP field that is missing
   */
  static SmtpEndpoint of(NewAccountRequest request, Preset preset) {
    String username =
        blank(request.smtpUsername()) ? request.username() : request.smtpUsername().trim();
    if (blank(request.smtpHost())) {
      List<FieldError> errors = new ArrayList<>();
      if (request.smtpPort() != null) {
        errors.add(new FieldError("smtpHost", "is required when smtpPort is given"));
      }
      if (!blank(request.smtpSecurity())) {
        errors.add(new FieldError("smtpHost", "is required when smtpSecurity is given"));
      }
      if (!errors.isEmpty()) {
        throw new GatewayException.InvalidRequest(FieldErrors.describe(errors), errors);
      }
      if (preset == null || preset.smtp() == null) {
        return null;
      }
      return new SmtpEndpoint(
          preset.smtp().host(),
          preset.smtp().port(),
          Security.fromWire(preset.smtp().security()),
          username,
          request.pinnedSmtpCertificate(),
          preset.savesSentCopy());
    }
    List<FieldError> errors = new ArrayList<>();
    if (request.smtpPort() == null) {
      errors.add(new FieldError("smtpPort", "is required when smtpHost is given"));
    }
    if (blank(request.smtpSecurity())) {
      errors.add(
          new FieldError(
              "smtpSecurity", "is required when smtpHost is given (tls, starttls, none)"));
    }
    if (!errors.isEmpty()) {
      throw new GatewayException.InvalidRequest(FieldErrors.describe(errors), errors);
    }
    String host = request.smtpHost().trim();
    // The provider's own server keeps its habit of filing sent mail; any other host does not.
    boolean savesSentCopy =
        preset != null
            && preset.smtp() != null
            && preset.smtp().host().equalsIgnoreCase(host)
            && preset.savesSentCopy();
    return new SmtpEndpoint(
        host,
        request.smtpPort(),
        Security.fromWire(request.smtpSecurity().trim()),
        username,
        request.pinnedSmtpCertificate(),
        savesSentCopy);
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
