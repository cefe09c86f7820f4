package dev.mailroom.connector.imap;

import dev.mailroom.connector.config.ConnectorConfig;
import dev.mailroom.events.account.ImapEndpoint;
import dev.mailroom.events.account.Security;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import java.net.UnknownHostException;
import java.util.Properties;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.angus.mail.imap.IMAPStore;

/** Opens authenticated IMAP stores with the TLS rules of the product. */
@ApplicationScoped
public class ImapConnector {

  private final ConnectorConfig.Imap config;
  private final SSLSocketFactory tls;
  private final HostPolicy hostPolicy;

  ImapConnector(ConnectorConfig config) {
    this.config = config.imap();
    this.tls = TrustMaterial.socketFactory(this.config.trustedCa());
    this.hostPolicy = new HostPolicy(this.config.allowedPrivateHosts().orElse(java.util.Set.of()));
  }

  /**
   * @throws MessagingException from Angus, classified by {@link FailureClassifier}
   * @throws HostPolicy.HostNotAllowedException when the host is internal and not allowed
   */
  public IMAPStore connect(ImapEndpoint endpoint, String password)
      throws MessagingException, HostPolicy.HostNotAllowedException, UnknownHostException {
    hostPolicy.check(endpoint.host());
    String protocol = endpoint.security() == Security.TLS ? "imaps" : "imap";
    Session session = Session.getInstance(properties(protocol, endpoint.security()));
    IMAPStore store = (IMAPStore) session.getStore(protocol);
    store.connect(endpoint.host(), endpoint.port(), endpoint.username(), password);
    return store;
  }

  private Properties properties(String protocol, Security security) {
    String p = "mail." + protocol + ".";
    Properties props = new Properties();
    props.put(p + "connectiontimeout", String.valueOf(config.connectTimeout().toMillis()));
    props.put(p + "timeout", String.valueOf(config.readTimeout().toMillis()));
    props.put(p + "writetimeout", String.valueOf(config.readTimeout().toMillis()));
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
