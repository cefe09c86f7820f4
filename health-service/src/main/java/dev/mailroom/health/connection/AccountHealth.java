package dev.mailroom.health.connection;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One account's connection health, as decided from the connection events. */
@Entity
@Table(name = "account_health")
public class AccountHealth extends PanacheEntityBase {

  @Id
  @Column(name = "account_id")
  public UUID accountId;

  /** {@code connected}, {@code degraded}, {@code disconnected} or {@code reconnecting}. */
  public String state;

  @Column(name = "failing_since")
  public Instant failingSince;

  /** When the current streak was declared disconnected; null if it was not. */
  @Column(name = "disconnected_at")
  public Instant disconnectedAt;

  @Column(name = "last_event_at")
  public Instant lastEventAt;

  @Column(name = "last_category")
  public String lastCategory;

  @Column(name = "last_detail")
  public String lastDetail;

  @JdbcTypeCode(SqlTypes.ARRAY)
  public String[] capabilities;
}
