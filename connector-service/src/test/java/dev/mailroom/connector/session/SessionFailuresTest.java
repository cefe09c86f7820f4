package dev.mailroom.connector.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.events.connection.FailureCategory;
import dev.mailroom.events.crypto.SecretBox;
import dev.mailroom.events.mail.MessageExpunged;
import dev.mailroom.events.model.AccountId;
import dev.mailroom.events.model.MailboxPath;
import dev.mailroom.events.model.Uid;
import dev.mailroom.events.model.UidValidity;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import java.net.ConnectException;
import java.time.Instant;
import java.util.concurrent.CompletionException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Whatever ends a session has a category; what is the connector's own is never blamed on the
 * server.
 */
class SessionFailuresTest {

  @Test
  void errorsAreInternalErrorsNamedByTheirClass() {
    var oom = SessionFailures.classify(new OutOfMemoryError("Java heap space"));
    assertThat(oom.category()).isEqualTo(FailureCategory.INTERNAL_ERROR);
    assertThat(oom.detail()).isEqualTo("OutOfMemoryError: Java heap space");
    assertThat(SessionFailures.classify(new StackOverflowError()).detail())
        .isEqualTo("StackOverflowError");
  }

  @Test
  void anErrorBehindAnIoFailureIsStillInternal() {
    var wrapped =
        new MessagingException(
            "fetch failed", new RuntimeException(new AssertionError("broken invariant")));
    var classified = SessionFailures.classify(wrapped);
    assertThat(classified.category()).isEqualTo(FailureCategory.INTERNAL_ERROR);
    assertThat(classified.detail()).isEqualTo("AssertionError: broken invariant");
  }

  @Test
  void aLibrarysUncheckedExceptionWithNoIoBehindItIsInternal() {
    assertThat(SessionFailures.classify(new NullPointerException("body is null")).category())
        .isEqualTo(FailureCategory.INTERNAL_ERROR);
    assertThat(
            SessionFailures.classify(
                    new CompletionException(new IllegalStateException("producer closed")))
                .category())
        .isEqualTo(FailureCategory.INTERNAL_ERROR);
  }

  @Test
  void eventsTheBrokerDidNotTakeAreTheConnectorsOwnNotAProtocolError() {
    var expunged =
        new MessageExpunged(
            AccountId.random(),
            MailboxPath.of("INBOX"),
            UidValidity.of(1),
            Uid.of(7),
            Instant.now());
    var lost =
        new MailboxEvents.EventsNotAcknowledgedException(
            79,
            new Acks.Failed(
                expunged,
                new TimeoutException(
                    "Expiring 79 record(s) for mailroom.mail.v1-1:120025 ms has passed")));

    var classified =
        SessionFailures.classify(new MessagingException("sync failed", lost)); // as rethrown

    assertThat(classified.category()).isEqualTo(FailureCategory.INTERNAL_ERROR);
    assertThat(classified.detail())
        .isEqualTo(
            "79 event(s) not acknowledged by Kafka, first mailroom.message.expunged.v1: Expiring"
                + " 79 record(s) for mailroom.mail.v1-1:120025 ms has passed");
    assertThat(SessionFailures.stackWorthy(lost)).as("a broker outage is no bug").isFalse();
  }

  @Test
  void aStatusTheBrokerTimedOutIsTheConnectorsOwnButNoBug() {
    var timedOut =
        new CompletionException(
            new TimeoutException("Expiring 1 record(s) for mailroom.mail.v1-9"));

    assertThat(SessionFailures.classify(timedOut).category())
        .isEqualTo(FailureCategory.INTERNAL_ERROR);
    assertThat(SessionFailures.stackWorthy(timedOut)).isFalse();
    assertThat(SessionFailures.stackWorthy(new NullPointerException("body is null"))).isTrue();
    assertThat(SessionFailures.stackWorthy(new OutOfMemoryError("Java heap space"))).isTrue();
  }

  @Test
  void serverAndSettingsFailuresKeepTheirCategories() {
    assertThat(
            SessionFailures.classify(new AuthenticationFailedException("[AUTHENTICATIONFAILED]"))
                .category())
        .isEqualTo(FailureCategory.AUTHENTICATION_FAILED);
    // Dovecot's words when a user has too many connections: not a wrong password.
    assertThat(
            SessionFailures.classify(
                    new AuthenticationFailedException(
                        "[LIMIT] Maximum number of connections from user+IP exceeded"
                            + " (mail_max_userip_connections=10)"))
                .category())
        .isEqualTo(FailureCategory.SERVER_UNAVAILABLE);
    assertThat(
            SessionFailures.classify(
                    new AuthenticationFailedException(
                        "[UNAVAILABLE] Temporary authentication failure"))
                .category())
        .isEqualTo(FailureCategory.SERVER_UNAVAILABLE);
    assertThat(
            SessionFailures.classify(
                    new MessagingException("connect", new ConnectException("refused")))
                .category())
        .isEqualTo(FailureCategory.HOST_UNREACHABLE);
    // A runtime wrapper around an I/O failure is the I/O failure's.
    assertThat(
            SessionFailures.classify(
                    new IllegalStateException(
                        new MessagingException("connect", new ConnectException("refused"))))
                .category())
        .isEqualTo(FailureCategory.HOST_UNREACHABLE);
    assertThat(SessionFailures.classify(new PushThread.LostException(null)).category())
        .isEqualTo(FailureCategory.PROTOCOL_ERROR);
  }

  @Test
  void aSecretNoKeyOpensIsUnavailableCredentials() {
    var classified =
        SessionFailures.classify(
            new SecretBox.SecretException("no key 'old-1' to open this secret"));
    assertThat(classified.category()).isEqualTo(FailureCategory.CREDENTIALS_UNAVAILABLE);
    assertThat(classified.detail()).isEqualTo("no key 'old-1' to open this secret");
  }
}
