package dev.mailroom.connector.verify;

import dev.mailroom.connector.imap.FailureClassifier;
import dev.mailroom.connector.imap.ImapConnector;
import dev.mailroom.connector.smtp.SmtpCheck;
import dev.mailroom.events.connection.FailureCategory;
import dev.mailroom.events.connection.Remedies;
import dev.mailroom.events.crypto.SecretBox;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.jboss.logging.MDC;

/** Opens the sealed password and logs in once, with the same TLS rules as the sync sessions. */
@ApplicationScoped
public class CredentialCheck {

  private static final List<String> WELL_KNOWN =
      List.of(
          "IMAP4rev1",
          "IMAP4rev2",
          "IDLE",
          "CONDSTORE",
          "QRESYNC",
          "NOTIFY",
          "SPECIAL-USE",
          "MOVE",
          "UIDPLUS",
          "SEARCH=FUZZY",
          "ESEARCH",
          "LIST-STATUS");

  private final ImapConnector connector;
  private final SmtpCheck smtpCheck;
  private final SecretBox secrets;

  CredentialCheck(ImapConnector connector, SmtpCheck smtpCheck, SecretBox secrets) {
    this.connector = connector;
    this.smtpCheck = smtpCheck;
    this.secrets = secrets;
  }

  public VerifyResult verify(VerifyRequest request) {
    MDC.put("accountId", request.accountId().toString());
    try {
      String password;
      try {
        // Bound to the endpoint to log in to: a password sealed for another server does not open.
        password = secrets.open(request.password(), request.accountId(), request.imap());
      } catch (SecretBox.SecretException e) {
        return failed(
            new FailureClassifier.Classified(
                FailureCategory.CREDENTIALS_UNAVAILABLE, e.getMessage()));
      }
      List<String> capabilities;
      try (IMAPStore store = connector.connect(request.imap(), password)) {
        capabilities = WELL_KNOWN.stream().filter(c -> hasCapability(store, c)).toList();
        Log.infof("verified %s:%d", request.imap().host(), request.imap().port());
      } catch (Exception e) {
        FailureClassifier.Classified classified = FailureClassifier.classify(e);
        Log.infof(
            "verification of %s:%d failed: %s",
            request.imap().host(), request.imap().port(), classified.category());
        return failed(classified);
      }
      if (request.smtp() == null) {
        return VerifyResult.ok(capabilities, null);
      }
      String smtpPassword = password;
      if (request.smtpPassword() != null) {
        try {
          smtpPassword = secrets.open(request.smtpPassword(), request.accountId(), request.smtp());
        } catch (SecretBox.SecretException e) {
          return smtpFailed(
              new SmtpCheck.Outcome(
                  FailureCategory.CREDENTIALS_UNAVAILABLE, e.getMessage(), null, null));
        }
      }
      SmtpCheck.Outcome smtp = smtpCheck.check(request.smtp(), smtpPassword, request.email());
      return smtp.ok() ? VerifyResult.ok(capabilities, smtp.size()) : smtpFailed(smtp);
    } finally {
      MDC.remove("accountId");
    }
  }

  private static boolean hasCapability(IMAPStore store, String capability) {
    try {
      return store.hasCapability(capability);
    } catch (jakarta.mail.MessagingException e) {
      return false;
    }
  }

  private static VerifyResult failed(FailureClassifier.Classified c) {
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

  private static VerifyResult smtpFailed(SmtpCheck.Outcome o) {
    return new VerifyResult(
        false,
        null,
        o.category(),
        o.detail(),
        Remedies.forSmtp(o.category()),
        o.certificateSha256(),
        "smtp",
        null);
  }
}
