package dev.mailroom.connector.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.mailroom.connector.TestDovecot;
import dev.mailroom.connector.imap.FailureClassifier;
import dev.mailroom.connector.imap.HostPolicy;
import dev.mailroom.connector.imap.ImapConnector;
import dev.mailroom.connector.imap.TrustMaterial;
import dev.mailroom.events.account.ImapEndpoint;
import dev.mailroom.events.account.Security;
import dev.mailroom.events.connection.FailureCategory;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TLS is verified, host name included, and each refusal says why. Certificates come from a CA of
 * the test's own and are presented by a fake greeter (the check happens before IMAP matters); the
 * good-certificate, wrong-password and closed-port cases use the real Dovecot of the test run.
 */
class ImapTlsTest {

  private static final String HOST = "localhost";
  private static final String PASSWORD = "s3cret-Tls-" + System.nanoTime();
  private static TlsTestCertificates certs;
  private static ImapConnector withTestCa;

  @BeforeAll
  static void certificates() throws Exception {
    certs = new TlsTestCertificates(Path.of("target", "tls-test"));
    withTestCa = connector(Optional.of(certs.caPem().toString()));
  }

  @AfterAll
  static void nothingToStop() {
    // Each fake server is closed by its own test.
  }

  private static ImapConnector connector(Optional<String> ca) {
    return new ImapConnector(
        TrustMaterial.load(ca),
        new HostPolicy(Set.of(HOST + ":*", "127.0.0.1:*")),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10));
  }

  @Test
  void certificateFromTheTrustedCaForTheRightHostIsAccepted() throws Exception {
    try (var server = FakeTlsImapServer.tls(certs.signed("good", HOST, "-1d", 3))) {
      // The handshake and host name check passed: what fails now is the fake's LOGIN refusal.
      assertThat(failure(withTestCa, endpoint(server.port(), null)).category())
          .isEqualTo(FailureCategory.AUTHENTICATION_FAILED);
    }
  }

  @Test
  void selfSignedCertificateIsRefusedWithItsFingerprint() throws Exception {
    Path selfSigned = certs.selfSigned("self", HOST);
    try (var server = FakeTlsImapServer.tls(selfSigned)) {
      var failure = failure(withTestCa, endpoint(server.port(), null));
      assertThat(failure.category()).isEqualTo(FailureCategory.CERTIFICATE_SELF_SIGNED);
      assertThat(failure.certificateSha256()).isEqualTo(TlsTestCertificates.sha256(selfSigned));
      assertThat(failure.detail()).contains(TlsTestCertificates.sha256(selfSigned));
    }
  }

  @Test
  void pinnedSelfSignedCertificateIsAcceptedAndAReplacementIsRefusedAgain() throws Exception {
    Path approved = certs.selfSigned("approved", HOST);
    String pin = TlsTestCertificates.sha256(approved);
    try (var server = FakeTlsImapServer.tls(approved)) {
      assertThat(failure(withTestCa, endpoint(server.port(), pin)).category())
          .isEqualTo(FailureCategory.AUTHENTICATION_FAILED);
    }
    Path replacement = certs.selfSigned("replacement", HOST);
    try (var server = FakeTlsImapServer.tls(replacement)) {
      var failure = failure(withTestCa, endpoint(server.port(), pin));
      assertThat(failure.category()).isEqualTo(FailureCategory.CERTIFICATE_SELF_SIGNED);
      assertThat(failure.certificateSha256())
          .isEqualTo(TlsTestCertificates.sha256(replacement))
          .isNotEqualTo(pin);
    }
  }

  @Test
  void expiredCertificateIsRefusedAsExpired() throws Exception {
    try (var server = FakeTlsImapServer.tls(certs.signed("expired", HOST, "-10d", 2))) {
      assertThat(failure(withTestCa, endpoint(server.port(), null)).category())
          .isEqualTo(FailureCategory.CERTIFICATE_EXPIRED);
    }
  }

  @Test
  void certificateForAnotherHostNameIsRefusedAsAHostMismatch() throws Exception {
    try (var server =
        FakeTlsImapServer.tls(certs.signed("wrong-host", "mail.wrong.example", "-1d", 3))) {
      assertThat(failure(withTestCa, endpoint(server.port(), null)).category())
          .isEqualTo(FailureCategory.CERTIFICATE_HOST_MISMATCH);
    }
  }

  @Test
  void certificateFromAnUnknownAuthorityIsRefusedAsSuch() throws Exception {
    ImapConnector jdkAuthoritiesOnly = connector(Optional.empty());
    try (var server = FakeTlsImapServer.tls(certs.signed("unknown-ca", HOST, "-1d", 3))) {
      assertThat(failure(jdkAuthoritiesOnly, endpoint(server.port(), null)).category())
          .isEqualTo(FailureCategory.CERTIFICATE_UNKNOWN_AUTHORITY);
    }
  }

  @Test
  void starttlsStrippedByTheServerIsRefusedAndThePasswordIsNotSent() throws Exception {
    try (var server = FakeTlsImapServer.plainWithoutStarttls()) {
      var endpoint = new ImapEndpoint(HOST, server.port(), Security.STARTTLS, "someone");
      assertThat(failure(withTestCa, endpoint).category())
          .isEqualTo(FailureCategory.STARTTLS_NOT_OFFERED);
    }
  }

  @Test
  void realDovecotWithItsGoodCertificateLogsInOverTlsAndStarttls() throws Exception {
    ImapConnector stackCa = connector(Optional.ofNullable(System.getenv("MAILROOM_TEST_TLS_CA")));
    String user = TestDovecot.newUser("tls", PASSWORD);
    try (IMAPStore store =
        stackCa.connect(
            new ImapEndpoint(HOST, TestDovecot.IMAPS_PORT, Security.TLS, user), PASSWORD)) {
      assertThat(store.isConnected()).isTrue();
    }
    try (IMAPStore store =
        stackCa.connect(
            new ImapEndpoint(HOST, TestDovecot.IMAP_PORT, Security.STARTTLS, user), PASSWORD)) {
      assertThat(store.hasCapability("IMAP4rev1")).isTrue();
    }
    var wrong =
        failure(
            stackCa,
            new ImapEndpoint(HOST, TestDovecot.IMAPS_PORT, Security.TLS, user),
            "not-" + PASSWORD);
    assertThat(wrong.category()).isEqualTo(FailureCategory.AUTHENTICATION_FAILED);
    assertThat(wrong.detail()).doesNotContain(PASSWORD);
  }

  @Test
  void closedPortIsHostUnreachable() throws Exception {
    int closed;
    try (ServerSocket probe = new ServerSocket(0)) {
      closed = probe.getLocalPort();
    }
    assertThat(
            failure(withTestCa, new ImapEndpoint(HOST, closed, Security.TLS, "someone")).category())
        .isEqualTo(FailureCategory.HOST_UNREACHABLE);
  }

  private static ImapEndpoint endpoint(int port, String pin) {
    return new ImapEndpoint(HOST, port, Security.TLS, "someone", pin);
  }

  private static FailureClassifier.Classified failure(
      ImapConnector connector, ImapEndpoint endpoint) {
    return failure(connector, endpoint, PASSWORD);
  }

  private static FailureClassifier.Classified failure(
      ImapConnector connector, ImapEndpoint endpoint, String password) {
    try (IMAPStore store = connector.connect(endpoint, password)) {
      return fail("connected to " + endpoint + " but expected a refusal");
    } catch (Exception e) {
      return FailureClassifier.classify(e);
    }
  }
}
