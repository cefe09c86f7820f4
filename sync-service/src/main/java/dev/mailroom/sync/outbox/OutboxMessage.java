package dev.mailroom.sync.outbox;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One message of an account's outbox, with its MIME and where its sending stands. */
@Entity
@Table(name = "outbox_message")
public class OutboxMessage extends PanacheEntityBase {

  public static final String QUEUED = "queued";
  public static final String RETRYING = "retrying";
  public static final String SENT = "sent";
  public static final String FAILED = "failed";

  @Id public UUID id;

  @Column(name = "account_id")
  public UUID accountId;

  @Column(name = "idempotency_key")
  public String idempotencyKey;

  @Column(name = "message_id")
  public String messageId;

  @Column(name = "envelope_from")
  public String envelopeFrom;

  /**
   * The envelope recipients as the JSON array they are stored as. Written only by the queueing
   * INSERT (OutboxResource), like the MIME: an update of the state never rewrites either.
   */
  @Column(name = "recipients", insertable = false, updatable = false)
  public String recipientsJson;

  public String subject;

  @Column(insertable = false, updatable = false)
  public byte[] mime;

  @Column(name = "size_bytes")
  public int sizeBytes;

  public String state;

  public int attempts;

  @Column(name = "last_code")
  public Integer lastCode;

  @Column(name = "last_reason")
  public String lastReason;

  @Column(name = "next_attempt_at")
  public Instant nextAttemptAt;

  @Column(name = "smtp_reply")
  public String smtpReply;

  /** Where the connector appends the copy: the Sent role when queued; null when none is needed. */
  @Column(name = "sent_mailbox")
  public String sentMailbox;

  @Column(name = "sent_copy_mailbox")
  public String sentCopyMailbox;

  @Column(name = "sent_copy_problem")
  public String sentCopyProblem;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "updated_at")
  public Instant updatedAt;

  @Column(name = "sent_at")
  public Instant sentAt;

  @Column(name = "relayed_at")
  public Instant relayedAt;

  java.util.List<String> recipients() {
    try {
      return java.util.Arrays.asList(
          dev.mailroom.events.EventCodec.mapper().readValue(recipientsJson, String[].class));
    } catch (java.io.IOException e) {
      throw new IllegalStateException("unreadable recipients of outbox message " + id, e);
    }
  }

  boolean isFinal() {
    return SENT.equals(state) || FAILED.equals(state);
  }
}
