package dev.mailroom.connector.smtp;

import dev.mailroom.connector.config.ConnectorConfig;
import dev.mailroom.connector.imap.CertificateRefusedException;
import dev.mailroom.connector.imap.HostBoundSslSocketFactory;
import dev.mailroom.connector.imap.HostPolicy;
import dev.mailroom.connector.imap.TrustMaterial;
import dev.mailroom.events.account.Security;
import dev.mailroom.events.account.SmtpEndpoint;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Properties;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * Opens authenticated SMTP submission connections with the same rules as IMAP: the same trusted
 * authorities and pinned certificate, host names checked, STARTTLS required when chosen, and the
 * same guard against internal addresses.
 */
@ApplicationScoped
public class SmtpConnector {

  private final TrustMaterial trust;
  private final HostPolicy hostPolicy;
  private final Duration connectTimeout;
  private final Duration readTimeout;

  @Inject
  SmtpConnector(ConnectorConfig config) {
    this(
        TrustMaterial.load(config.imap().trustedCa()),
        new HostPolicy(config.imap().allowedPrivateHosts().orElse(java.util.Set.of())),
        config.imap().connectTimeout(),
        config.imap().readTimeout());
  }

  public SmtpConnector(
      TrustMaterial trust, HostPolicy hostPolicy, Duration connectTimeout, Duration readTimeout) {
    this.trust = trust;
    this.hostPolicy = hostPolicy;
    this.connectTimeout = connectTimeout;
    this.readTimeout = readTimeout;
  }

  /**
   * Connects and logs in. A server that offers no AUTH is refused rather than used without a login:
   * Angus would otherwise skip the login silently and the first send would be refused.
   *
   * @throws MessagingException from Angus, classified by {@link SmtpFailures}
   * @throws HostPolicy.HostNotAllowedException when the host is internal and not allowed
   */
  public SMTPTransport connect(SmtpEndpoint endpoint, String password)
      throws MessagingException, HostPolicy.HostNotAllowedException, UnknownHostException {
    // Resolved once and checked; Angus gets the address, never the name (HostPolicy), and the
    // socket factory puts the name back for SNI and the certificate check.
    InetAddress address = hostPolicy.resolve(endpoint.host(), endpoint.port());
    String protocol = endpoint.security() == Security.TLS ? "smtps" : "smtp";
    TrustMaterial.ForConnection tls = trust.forConnection(endpoint.pinnedCertificateSha256());
    Session session =
        Session.getInstance(
            properties(
                protocol,
                endpoint,
                new HostBoundSslSocketFactory(tls.socketFactory(), endpoint.host(), address)));
    SMTPTransport transport = (SMTPTransport) session.getTransport(protocol);
    try {
      transport.connect(address.getHostAddress(), endpoint.port(), endpoint.username(), password);
    } catch (MessagingException e) {
      CertificateRefusedException refused = tls.refusal();
      if (refused != null) {
        throw new MessagingException(refused.getMessage(), refused);
      }
      throw e;
    }
    if (!transport.supportsExtension("AUTH")) {
      transport.close();
      throw new NoAuthOfferedException(
          endpoint.host()
              + " offers no AUTH on port "
              + endpoint.port()
              + (endpoint.security() == Security.NONE ? " without encryption" : ""));
    }
    return transport;
  }

  /** The server took the connection but offered no way to log in. */
  public static final class NoAuthOfferedException extends MessagingException {
    NoAuthOfferedException(String message) {
      super(message);
    }
  }

  private Properties properties(String protocol, SmtpEndpoint endpoint, SSLSocketFactory tls) {
    String p = "mail." + protocol + ".";
    Properties props = new Properties();
    props.put(p + "connectiontimeout", String.valueOf(connectTimeout.toMillis()));
    props.put(p + "timeout", String.valueOf(readTimeout.toMillis()));
    props.put(p + "writetimeout", String.valueOf(readTimeout.toMillis()));
    props.put(p + "auth", "true");
    // A message to several recipients of whom one is refused: nothing is sent, and the refusal
    // names the address (SMTPAddressFailedException) instead of a partial delivery.
    props.put(p + "sendpartial", "false");
    if (endpoint.security() != Security.NONE) {
      props.put(p + "ssl.socketFactory", tls);
      props.put(p + "ssl.socketFactory.fallback", "false");
      // Angus does not check the host name against the certificate unless asked.
      props.put(p + "ssl.checkserveridentity", "true");
    }
    if (endpoint.security() == Security.STARTTLS) {
      // Required, never silently skipped (RFC 3207 §4: a client may insist): a server that does
      // not offer it is refused before the password is sent.
      props.put(p + "starttls.enable", "true");
      props.put(p + "starttls.required", "true");
    }
    return props;
  }
}
