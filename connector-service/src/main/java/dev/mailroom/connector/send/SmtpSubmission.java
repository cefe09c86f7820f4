package dev.mailroom.connector.send;

import dev.mailroom.connector.imap.HostPolicy;
import dev.mailroom.connector.smtp.SmtpConnector;
import dev.mailroom.connector.smtp.SmtpFailures;
import dev.mailroom.events.account.SmtpEndpoint;
import dev.mailroom.events.connection.FailureCategory;
import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import java.io.ByteArrayInputStream;
import java.util.List;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPMessage;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * One SMTP submission of a finished message, and what the server said. The reply code decides (RFC
 * 5321 §4.2.1): 5yz is permanent and stops with the server's words, 4yz and a connection that fails
 * or drops are temporary and retried.
 */
final class SmtpSubmission {

  private static final Session PARSING = Session.getInstance(new java.util.Properties());

  private final SmtpConnector connector;

  SmtpSubmission(SmtpConnector connector) {
    this.connector = connector;
  }

  SendOutcome submit(
      SmtpEndpoint endpoint,
      String password,
      String envelopeFrom,
      List<String> recipients,
      byte[] mime) {
    try (SMTPTransport transport = connector.connect(endpoint, password)) {
      // The bytes go out as they were built and stored: the Message-ID and size the gateway
      // checked are the ones sent. Bcc recipients are in the envelope only.
      SMTPMessage message = new SMTPMessage(PARSING, new ByteArrayInputStream(mime));
      message.setEnvelopeFrom(envelopeFrom);
      Address[] to = new Address[recipients.size()];
      for (int i = 0; i < to.length; i++) {
        to[i] = new InternetAddress(recipients.get(i), false);
      }
      transport.sendMessage(message, to);
      return new SendOutcome.Accepted(transport.getLastServerResponse().trim());
    } catch (HostPolicy.HostNotAllowedException e) {
      return SendOutcome.Refused.permanent(e.getMessage());
    } catch (Exception e) {
      return classify(e);
    }
  }

  static SendOutcome.Refused classify(Exception e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      int code =
          switch (t) {
            case SMTPAddressFailedException a -> a.getReturnCode();
            case SMTPSenderFailedException s -> s.getReturnCode();
            case SMTPSendFailedException s -> s.getReturnCode();
            default -> -1;
          };
      if (code > 0) {
        return new SendOutcome.Refused(code >= 500, code, String.valueOf(t.getMessage()).trim());
      }
      if (t instanceof AuthenticationFailedException) {
        // The password changed or was revoked: retrying cannot help until the owner acts.
        return new SendOutcome.Refused(
            true,
            535,
            "the SMTP server refused the login: " + String.valueOf(t.getMessage()).trim());
      }
    }
    FailureCategory category = SmtpFailures.classify(e).category();
    boolean permanent =
        switch (category) {
          case HOST_UNREACHABLE, TIMEOUT, PROTOCOL_ERROR, INTERNAL_ERROR -> false;
          default -> true;
        };
    String detail = SmtpFailures.classify(e).detail();
    return new SendOutcome.Refused(permanent, 0, category + ": " + detail);
  }
}
