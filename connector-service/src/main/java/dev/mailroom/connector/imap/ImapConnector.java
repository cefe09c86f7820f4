package dev.mailroom.connector.imap;

import dev.mailroom.connector.config.ConnectorConfig;
import dev.mailroom.events.account.ImapEndpoint;
import dev.mailroom.events.account.Security;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Properties;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.angus.mail.imap.IMAPStore;

/** Opens authenticated IMAP stores with the TLS rules of the product. */
@ApplicationScoped
public class ImapConnector {

  private static final String STREAM_PROVIDER = "jakarta.mail.util.StreamProvider";

  static {
    // Jakarta Mail 2.1 looks its StreamProvider up with a ServiceLoader, scanning the class path's
    // jars, on every call of StreamProvider.provider(): Angus parses each fetched header block
    // and MimeUtility decodes each body through it. That was a third of a first sync's CPU on the
    // session thread (jakartaee/mail-api#861). Naming the implementation in the property the API
    // reads first turns the lookup into a Class.forName.
    if (System.getProperty(STREAM_PROVIDER) == null) {
      System.setProperty(STREAM_PROVIDER, "org.eclipse.angus.mail.util.MailStreamProvider");
    }
  }

  private final TrustMaterial trust;
  private final HostPolicy hostPolicy;
  private final Duration connectTimeout;
  private final Duration readTimeout;

  @Inject
  ImapConnector(ConnectorConfig config) {
    this(
        TrustMaterial.load(config.imap().trustedCa()),
        new HostPolicy(config.imap().allowedPrivateHosts().orElse(java.util.Set.of())),
        config.imap().connectTimeout(),
        config.imap().readTimeout());
  }

  public ImapConnector(
      TrustMaterial trust, HostPolicy hostPolicy, Duration connectTimeout, Duration readTimeout) {
    this.trust = trust;
    this.hostPolicy = hostPolicy;
    this.connectTimeout = connectTimeout;
    this.readTimeout = readTimeout;
  }

  /**
   * @throws MessagingException from Angus, classified by {@link FailureClassifier}
   * @throws HostPolicy.HostNotAllowedException when the host is internal and not allowed
   */
  public IMAPStore connect(ImapEndpoint endpoint, String password)
      throws MessagingException, HostPolicy.HostNotAllowedException, UnknownHostException {
    // Resolved once and checked; Angus gets the address, never the name (HostPolicy).
    InetAddress address = hostPolicy.resolve(endpoint.host(), endpoint.port());
    String protocol = endpoint.security() == Security.TLS ? "imaps" : "imap";
    TrustMaterial.ForConnection tls = trust.forConnection(endpoint.pinnedCertificateSha256());
    Session session =
        Session.getInstance(
            properties(
                protocol,
                endpoint,
                new HostBoundSslSocketFactory(tls.socketFactory(), endpoint.host(), address)));
    IMAPStore store = new ExpungeSafeStore(session, protocol);
    try {
      store.connect(address.getHostAddress(), endpoint.port(), endpoint.username(), password);
    } catch (MessagingException e) {
      CertificateRefusedException refused = tls.refusal();
      if (refused != null) {
        // Keep the reason: the handshake exception itself no longer carries it.
        throw new MessagingException(refused.getMessage(), refused);
      }
      throw e;
    }
    return store;
  }

  /**
   * One platform thread arms the write timeouts of every IMAP socket of this instance. A write that
   * finishes cancels its timeout, which is then dropped at once rather than left queued for the
   * whole timeout.
   */
  static final java.util.concurrent.ScheduledExecutorService WRITE_TIMEOUTS = writeTimeouts();

  private static java.util.concurrent.ScheduledExecutorService writeTimeouts() {
    var executor =
        new java.util.concurrent.ScheduledThreadPoolExecutor(
            1, Thread.ofPlatform().name("imap-write-timeouts").daemon().factory());
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }

  private Properties properties(String protocol, ImapEndpoint endpoint, SSLSocketFactory tls) {
    Security security = endpoint.security();
    String p = "mail." + protocol + ".";
    Properties props = new Properties();
    props.put(p + "connectiontimeout", String.valueOf(connectTimeout.toMillis()));
    props.put(p + "timeout", String.valueOf(readTimeout.toMillis()));
    props.put(p + "writetimeout", String.valueOf(readTimeout.toMillis()));
    // Without a shared executor Angus gives every socket with a write timeout its own platform
    // thread (WriteTimeoutSocket); a shared one is not shut down when a socket closes.
    props.put(p + "executor.writetimeout", WRITE_TIMEOUTS);
    // One large fetch buffer: bulk UID FETCH replies are read in few round trips.
    props.put(p + "fetchsize", "1048576");
    // Angus starts one platform event thread per open folder unless told otherwise.
    props.put("mail.event.scope", "application");
    if (security != Security.NONE) {
      props.put(p + "ssl.socketFactory", tls);
      props.put(p + "ssl.socketFactory.fallback", "false");
      // Angus does not check the host name against the certificate unless asked.
      props.put(p + "ssl.checkserveridentity", "true");
    }
    if (security == Security.STARTTLS) {
      // Required, never silently skipped: a server that does not offer it is refused.
      props.put(p + "starttls.enable", "true");
      props.put(p + "starttls.required", "true");
    }
    return props;
  }
}
