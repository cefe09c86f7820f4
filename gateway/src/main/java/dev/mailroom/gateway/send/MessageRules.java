package dev.mailroom.gateway.send;

import dev.mailroom.gateway.problem.Problem.FieldError;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a message must be before it is queued. Each rule names the field, so the client knows what
 * to fix; nothing is queued (or sent) when one fails.
 */
final class MessageRules {

  /** Recipients over to, cc and bcc together; providers cap at 100 (Gmail) to 500. */
  static final int MAX_RECIPIENTS = 100;

  static final int MAX_SUBJECT = 998;

  // CR or LF anywhere in a header's value would end the header and start another one (RFC 5322
  // §2.2): "Subject: hi\r\nBcc: victim@example.com" must never reach the wire.
  private static final Pattern LINE_BREAK = Pattern.compile("[\\r\\n]");

  private MessageRules() {}

  static List<FieldError> check(OutgoingMessage m) {
    List<FieldError> errors = new ArrayList<>();
    addresses("to", m.to(), errors);
    addresses("cc", m.cc(), errors);
    addresses("bcc", m.bcc(), errors);
    int recipients = m.to().size() + m.cc().size() + m.bcc().size();
    if (recipients == 0) {
      errors.add(new FieldError("to", "at least one recipient is required (to, cc or bcc)"));
    } else if (recipients > MAX_RECIPIENTS) {
      errors.add(
          new FieldError(
              "to",
              "at most "
                  + MAX_RECIPIENTS
                  + " recipients in to, cc and bcc together; got "
                  + recipients));
    }
    if (m.subject() != null) {
      headerText("subject", m.subject(), errors);
      if (m.subject().length() > MAX_SUBJECT) {
        errors.add(new FieldError("subject", "at most " + MAX_SUBJECT + " characters"));
      }
    }
    if (m.inReplyTo() != null) {
      headerText("inReplyTo", m.inReplyTo(), errors);
    }
    if ((m.text() == null || m.text().isEmpty()) && (m.html() == null || m.html().isEmpty())) {
      errors.add(new FieldError("text", "text or html is required"));
    }
    for (int i = 0; i < m.attachments().size(); i++) {
      OutgoingMessage.Attachment a = m.attachments().get(i);
      String field = "attachments[" + i + "]";
      if (a == null || a.content() == null) {
        errors.add(new FieldError(field + ".content", "is required"));
        continue;
      }
      if (a.filename() == null || a.filename().isBlank()) {
        errors.add(new FieldError(field + ".filename", "is required"));
      } else {
        headerText(field + ".filename", a.filename(), errors);
      }
      if (a.contentType() != null) {
        headerText(field + ".contentType", a.contentType(), errors);
        if (!a.contentType().matches("[\\w.+-]+/[\\w.+-]+")) {
          errors.add(
              new FieldError(
                  field + ".contentType", "must be a media type such as application/pdf"));
        }
      }
    }
    return errors;
  }

  /**
   * One address per entry, RFC 5322 syntax with a domain, no line breaks (display name included).
   */
  private static void addresses(String field, List<String> values, List<FieldError> errors) {
    for (int i = 0; i < values.size(); i++) {
      String value = values.get(i);
      String name = field + "[" + i + "]";
      if (value == null || value.isBlank()) {
        errors.add(new FieldError(name, "must be an email address"));
        continue;
      }
      if (LINE_BREAK.matcher(value).find()) {
        errors.add(new FieldError(name, "must not contain a line break (CR or LF)"));
        continue;
      }
      try {
        InternetAddress[] parsed = InternetAddress.parseHeader(value, true);
        if (parsed.length != 1) {
          errors.add(new FieldError(name, "must be one address; send several as separate entries"));
          continue;
        }
        parsed[0].validate();
        String address = parsed[0].getAddress();
        if (address.indexOf('@') < 1
            || address.endsWith("@")
            || !address.substring(address.indexOf('@') + 1).contains(".")
                && !address.endsWith("@localhost")) {
          errors.add(
              new FieldError(
                  name, "must be an address with a domain, such as someone@example.com"));
        }
      } catch (AddressException e) {
        // Not the parser's words: they repeat the value.
        errors.add(new FieldError(name, "is not a valid email address"));
      }
    }
  }

  private static void headerText(String field, String value, List<FieldError> errors) {
    if (LINE_BREAK.matcher(value).find()) {
      errors.add(new FieldError(field, "must not contain a line break (CR or LF)"));
    }
  }
}
