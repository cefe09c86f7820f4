package dev.mailroom.connector.verify;

import dev.mailroom.connector.imap.FailureClassifier;
import dev.mailroom.connector.imap.ImapConnector;
import dev.mailroom.connector.verify.SameMailboxResult.Outcome;
import dev.mailroom.events.account.ImapEndpoint;
import dev.mailroom.events.connection.FailureCategory;
import dev.mailroom.events.connection.Remedies;
import dev.mailroom.events.crypto.SecretBox;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.jboss.logging.MDC;

/**
 * Logs in to the host an account uses and to the host it is to use instead, with the account's
 * password, and compares their INBOXes (see {@link MailboxComparison}). A host name that reaches
 * another mailbox must not be swapped in: its mail would be synced into the account as if it were
 * the same, and the old mail would look deleted.
 */
@ApplicationScoped
public class SameMailboxCheck {

  private final ImapConnector connector;
  private final SecretBox secrets;

  SameMailboxCheck(ImapConnector connector, SecretBox secrets) {
    this.connector = connector;
    this.secrets = secrets;
  }

  public SameMailboxResult check(SameMailboxRequest request) {
    MDC.put("accountId", request.accountId().toString());
    try {
      String password;
      try {
        // Bound to the current endpoint: a password sealed for another server does not open.
        password = secrets.open(request.password(), request.accountId(), request.current());
      } catch (SecretBox.SecretException e) {
        return SameMailboxResult.failed(
            Outcome.CURRENT_FAILED,
            "the account's stored password cannot be opened, so no host can be checked",
            failure(
                new FailureClassifier.Classified(
                    FailureCategory.CREDENTIALS_UNAVAILABLE, e.getMessage())));
      }
      InboxSample current;
      try (IMAPStore store = connector.connect(request.current(), password)) {
        current = InboxReader.newest(store, MailboxComparison.SAMPLE_SIZE);
      } catch (Exception e) {
        // Without the current mailbox there is nothing to compare with. sync-service's copy is not
        // used instead: it may lag, and it has no UIDVALIDITY history to trust (ADR 0003).
        return loginFailed(
            Outcome.CURRENT_FAILED,
            request.current(),
            e,
            "the current host "
                + request.current().host()
                + " could not be read, so the new host"
                + " cannot be shown to serve the same mailbox; try again once the current host"
                + " answers, or connect the new host as a new account");
      }
      InboxSample proposed;
      try (IMAPStore store = connector.connect(request.proposed(), password)) {
        proposed = InboxReader.byUid(store, current.messageIdsByUid().keySet());
      } catch (Exception e) {
        return loginFailed(
            Outcome.PROPOSED_FAILED,
            request.proposed(),
            e,
            "the new host "
                + request.proposed().host()
                + " could not be logged in to with the"
                + " account's credentials; nothing was changed");
      }
      MailboxComparison.Verdict verdict = MailboxComparison.compare(current, proposed);
      Log.infof(
          "same-mailbox check %s:%d -> %s:%d: %s",
          request.current().host(),
          request.current().port(),
          request.proposed().host(),
          request.proposed().port(),
          verdict.same() ? "same" : "different");
      return SameMailboxResult.of(verdict);
    } finally {
      MDC.remove("accountId");
    }
  }

  private static SameMailboxResult loginFailed(
      Outcome outcome, ImapEndpoint endpoint, Exception e, String reason) {
    FailureClassifier.Classified classified = FailureClassifier.classify(e);
    Log.infof(
        "same-mailbox check could not read %s:%d: %s",
        endpoint.host(), endpoint.port(), classified.category());
    return SameMailboxResult.failed(outcome, reason, failure(classified));
  }

  private static VerifyResult failure(FailureClassifier.Classified c) {
    return new VerifyResult(
        false,
        null,
        c.category(),
        c.detail(),
        Remedies.of(c.category()),
        c.certificateSha256(),
        "imap",
        null);
  }
}
