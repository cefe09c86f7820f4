package dev.mailroom.health.status;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;

/**
 * A status event waiting to be put on Kafka; written in the transaction that changed the status.
 */
@Entity
@Table(name = "status_outbox")
public class StatusOutbox extends PanacheEntityBase {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long seq;

  @Column(name = "account_id")
  public UUID accountId;

  @Column(name = "event_id")
  public String eventId;

  public byte[] payload;
}
