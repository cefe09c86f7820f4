package dev.mailroom.connector.smtp;

import dev.mailroom.connector.imap.FailureClassifier;
import dev.mailroom.events.account.SmtpEndpoint;
import dev.mailroom.events.connection.FailureCategory;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.mail.MessagingException;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * Tries an account's SMTP settings before they are saved: connect (TLS rules as for IMAP), log in,
 * and ask whether the server would take mail from the account's address (MAIL FROM and RCPT TO the
 * same address, then RSET: nothing is sent). A server that takes the login but refuses the address
 * answers here, not at the first real send.
 */
@ApplicationScoped
public class SmtpCheck {

  private final SmtpConnector connector;

  SmtpCheck(SmtpConnector connector) {
    this.connector = connector;
  }

  /**
   * @param size the server's SIZE limit (RFC 1870) in bytes, null when it announces none
   */
  public record Outcome(
      FailureCategory category, String detail, String certificateSha256, Long size) {

    public boolean ok() {
      return category == null;
    }
  }

  /**
   * @param address the account's own address, or null to stop after the login
   */
  public Outcome check(SmtpEndpoint endpoint, String password, String address) {
    try (SMTPTransport transport = connector.connect(endpoint, password)) {
      Long size = SmtpSize.of(transport);
      if (address != null && SmtpAddresses.isPlain(address)) {
        String refusal = probe(transport, address);
        if (refusal != null) {
          FailureCategory category =
              SmtpFailures.isRelayRefusal(refusal)
                  ? FailureCategory.RELAY_REFUSED
                  : FailureCategory.PROTOCOL_ERROR;
          return new Outcome(category, refusal, null, size);
        }
      }
      Log.infof("verified SMTP %s:%d", endpoint.host(), endpoint.port());
      return new Outcome(null, null, null, size);
    } catch (Exception e) {
      FailureClassifier.Classified c = SmtpFailures.classify(e);
      Log.infof(
          "verification of SMTP %s:%d failed: %s", endpoint.host(), endpoint.port(), c.category());
      return new Outcome(c.category(), c.detail(), c.certificateSha256(), null);
    }
  }

  /** The server's refusal in its own words, or null when it would take the mail. */
  private static String probe(SMTPTransport transport, String address) throws MessagingException {
    try {
      if (transport.simpleCommand("MAIL FROM:<" + address + ">") / 100 != 2) {
        return transport.getLastServerResponse().trim();
      }
      if (transport.simpleCommand("RCPT TO:<" + address + ">") / 100 != 2) {
        return transport.getLastServerResponse().trim();
      }
      return null;
    } finally {
      transport.simpleCommand("RSET");
    }
  }
}
