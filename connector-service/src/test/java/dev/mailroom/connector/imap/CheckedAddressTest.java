package dev.mailroom.connector.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.mailroom.connector.TestDovecot;
import dev.mailroom.events.account.ImapEndpoint;
import dev.mailroom.events.account.Security;
import dev.mailroom.events.connection.FailureCategory;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Against the real Dovecot of the test run: the connector connects to the address its policy
 * checked, and to no address a second lookup could give. The names used end in {@code .invalid}
 * (RFC 6761 §6.4: never resolvable), so a connection that reaches Dovecot can only have used the
 * checked address; the TLS cases show the certificate is still checked against the name.
 */
class CheckedAddressTest {

  private static final String PASSWORD = "Checked-Address-" + System.nanoTime();
  private static final String REBOUND = "imap.rebinding.invalid";
  private static final String WRONG_NAME = "not-in-the-certificate.invalid";
  private static final Map<String, AtomicInteger> LOOKUPS = new ConcurrentHashMap<>();
  private static String user;
  private static ImapConnector connector;

  @BeforeAll
  static void setUp() throws Exception {
    user = TestDovecot.newUser("checked", PASSWORD);
    List<String> allowed =
        List.of(
            REBOUND + ":" + TestDovecot.IMAP_PORT,
            REBOUND + ":" + TestDovecot.IMAPS_PORT,
            WRONG_NAME + ":" + TestDovecot.IMAPS_PORT,
            WRONG_NAME + ":" + TestDovecot.IMAP_PORT,
            TestDovecot.HOST + ":" + TestDovecot.IMAPS_PORT);
    HostPolicy policy =
        new HostPolicy(
            allowed,
            host -> {
              int n = LOOKUPS.computeIfAbsent(host, h -> new AtomicInteger()).incrementAndGet();
              if (host.endsWith(".invalid")) {
                // A rebinding resolver: the first answer is the test's Dovecot, every later one an
                // address where nothing listens. Only a connector that resolves once reaches
                // Dovecot.
                return new InetAddress[] {
                  InetAddress.getByName(n == 1 ? "127.0.0.1" : "192.0.2.1")
                };
              }
              return InetAddress.getAllByName(host);
            });
    connector =
        new ImapConnector(
            TrustMaterial.load(Optional.ofNullable(System.getenv("MAILROOM_TEST_TLS_CA"))),
            policy,
            Duration.ofSeconds(3),
            Duration.ofSeconds(10));
  }

  @Test
  void theConnectionGoesToTheCheckedAddressAndTheNameIsLookedUpOnce() throws Exception {
    LOOKUPS.clear();
    try (IMAPStore store =
        connector.connect(
            new ImapEndpoint(REBOUND, TestDovecot.IMAP_PORT, Security.NONE, user), PASSWORD)) {
      assertThat(store.isConnected()).isTrue();
    }
    assertThat(LOOKUPS.get(REBOUND)).hasValue(1);
  }

  @Test
  void overTlsTheCertificateIsCheckedAgainstTheNameNotTheAddress() {
    // Dovecot's certificate names localhost and 127.0.0.1: checked against the address, this
    // connection would pass.
    LOOKUPS.clear();
    assertThat(
            failure(new ImapEndpoint(WRONG_NAME, TestDovecot.IMAPS_PORT, Security.TLS, user))
                .category())
        .isEqualTo(FailureCategory.CERTIFICATE_HOST_MISMATCH);
    LOOKUPS.clear();
    assertThat(
            failure(new ImapEndpoint(WRONG_NAME, TestDovecot.IMAP_PORT, Security.STARTTLS, user))
                .category())
        .isEqualTo(FailureCategory.CERTIFICATE_HOST_MISMATCH);
  }

  @Test
  void overTlsAndStarttlsTheRightNameLogsIn() throws Exception {
    try (IMAPStore store =
        connector.connect(
            new ImapEndpoint(TestDovecot.HOST, TestDovecot.IMAPS_PORT, Security.TLS, user),
            PASSWORD)) {
      assertThat(store.isConnected()).isTrue();
    }
    // STARTTLS to the rebinding name fails on the name (not in the certificate), after one lookup.
    LOOKUPS.clear();
    assertThat(
            failure(new ImapEndpoint(REBOUND, TestDovecot.IMAP_PORT, Security.STARTTLS, user))
                .category())
        .isEqualTo(FailureCategory.CERTIFICATE_HOST_MISMATCH);
    assertThat(LOOKUPS.get(REBOUND)).hasValue(1);
  }

  @Test
  void anAllowedHostOnAnotherPortIsRefusedWithoutNamingItsAddress() {
    var refused =
        failure(new ImapEndpoint(TestDovecot.HOST, TestDovecot.IMAP_PORT, Security.STARTTLS, user));
    assertThat(refused.category()).isEqualTo(FailureCategory.HOST_NOT_ALLOWED);
    assertThat(refused.detail()).doesNotContain("127.0.0.1").doesNotContain("::1");
  }

  private static FailureClassifier.Classified failure(ImapEndpoint endpoint) {
    try (IMAPStore store = connector.connect(endpoint, PASSWORD)) {
      return fail(
          "connected to " + endpoint.host() + ":" + endpoint.port() + " but expected a refusal");
    } catch (Exception e) {
      return FailureClassifier.classify(e);
    }
  }
}
