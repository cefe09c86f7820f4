package dev.mailroom.sync.outbox;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/** Where one outbox message stands, without its MIME. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OutboxView(
    String id,
    String accountId,
    String messageId,
    String envelopeFrom,
    String subject,
    List<String> recipients,
    int sizeBytes,
    String state,
    int attempts,
    Integer lastCode,
    String lastReason,
    Instant nextAttemptAt,
    String smtpReply,
    String sentMailbox,
    String sentCopyMailbox,
    String sentCopyProblem,
    Instant createdAt,
    Instant sentAt) {

  static OutboxView of(OutboxMessage m) {
    return new OutboxView(
        m.id.toString(),
        m.accountId.toString(),
        m.messageId,
        m.envelopeFrom,
        m.subject,
        m.recipients(),
        m.sizeBytes,
        m.state,
        m.attempts,
        m.lastCode,
        m.lastReason,
        m.nextAttemptAt,
        m.smtpReply,
        m.sentMailbox,
        m.sentCopyMailbox,
        m.sentCopyProblem,
        m.createdAt,
        m.sentAt);
  }
}
