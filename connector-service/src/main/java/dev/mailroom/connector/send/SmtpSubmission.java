package dev.mailroom.connector.send;

import dev.mailroom.connector.imap.HostPolicy;
import dev.mailroom.connector.smtp.SmtpConnector;
import dev.mailroom.connector.smtp.SmtpFailures;
import dev.mailroom.events.account.SmtpEndpoint;
import dev.mailroom.events.connection.FailureCategory;
import dev.mailroom.events.model.AccountId;
import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPMessage;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * SMTP submission of finished messages, and what the server said. The reply code decides (RFC 5321
 * §4.2.1): 5yz is permanent and stops with the server's words, 4yz and a connection that fails or
 * drops are temporary and retried.
 *
 * <p>One connection per account is kept open between its messages, up to an idle time: a burst of
 * sends pays the TCP and TLS handshakes and AUTH once, not per message. Before a kept connection is
 * used, RSET (RFC 5321 §4.1.1.5) both clears any transaction a refusal left and checks the server
 * is still there; a connection the server dropped while idle (its own timeout, a restart) fails
 * that check and is replaced by a new one, so it never counts as a failed send. Each account's
 * messages are sent by one thread (OutboxConsumer), so an account's connection is never shared.
 */
final class SmtpSubmission implements AutoCloseable {

  private static final Session PARSING = Session.getInstance(new java.util.Properties());

  private final SmtpConnector connector;
  private final Duration idle;
  private final Map<AccountId, Kept> kept = new ConcurrentHashMap<>();

  /** A connection and what it was opened with: new settings or a new password need a new one. */
  private record Kept(SMTPTransport transport, SmtpEndpoint endpoint, int secret, Instant used) {}

  SmtpSubmission(SmtpConnector connector, Duration idle) {
    this.connector = connector;
    this.idle = idle;
  }

  SendOutcome submit(
      AccountId account,
      SmtpEndpoint endpoint,
      String password,
      String envelopeFrom,
      List<String> recipients,
      byte[] mime) {
    SMTPTransport transport = null;
    try {
      transport = reuse(account, endpoint, password);
      if (transport == null) {
        transport = connector.connect(endpoint, password);
        transport.setUseRset(true); // isConnected() checks with RSET, not NOOP
      }
      // The bytes go out as they were built and stored: the Message-ID and size the gateway
      // checked are the ones sent. Bcc recipients are in the envelope only.
      SMTPMessage message = new SMTPMessage(PARSING, new ByteArrayInputStream(mime));
      message.setEnvelopeFrom(envelopeFrom);
      Address[] to = new Address[recipients.size()];
      for (int i = 0; i < to.length; i++) {
        to[i] = new InternetAddress(recipients.get(i), false);
      }
      transport.sendMessage(message, to);
      String reply = transport.getLastServerResponse().trim();
      kept.put(account, new Kept(transport, endpoint, password.hashCode(), Instant.now()));
      return new SendOutcome.Accepted(reply);
    } catch (HostPolicy.HostNotAllowedException e) {
      return SendOutcome.Refused.permanent(e.getMessage());
    } catch (Exception e) {
      // After a failure the connection's state is unknown: the next message starts afresh.
      close(transport);
      return classify(e);
    }
  }

  /** The account's kept connection if it is fresh, for the same settings, and answers RSET. */
  private SMTPTransport reuse(AccountId account, SmtpEndpoint endpoint, String password) {
    Kept k = kept.remove(account);
    if (k == null) {
      return null;
    }
    if (k.endpoint().equals(endpoint)
        && k.secret() == password.hashCode()
        && k.used().plus(idle).isAfter(Instant.now())
        && k.transport().isConnected()) {
      return k.transport();
    }
    close(k.transport());
    return null;
  }

  /** Closes the account's connection once it has been idle for the idle time. */
  void closeIdle(AccountId account) {
    Kept k = kept.get(account);
    if (k != null && k.used().plus(idle).isBefore(Instant.now()) && kept.remove(account, k)) {
      close(k.transport());
    }
  }

  @Override
  public void close() {
    kept.keySet()
        .forEach(account -> close(kept.remove(account) instanceof Kept k ? k.transport() : null));
  }

  private static void close(SMTPTransport transport) {
    if (transport != null) {
      try {
        transport.close(); // QUIT
      } catch (Exception ignored) {
        // already gone: nothing to release
      }
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
