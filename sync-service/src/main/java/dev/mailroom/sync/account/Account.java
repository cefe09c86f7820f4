package dev.mailroom.sync.account;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An account as the store knows it. Written by the ingest package only. */
@Entity
@Table(name = "account")
public class Account extends PanacheEntityBase {

  @Id public UUID id;

  @Column(name = "owner_id")
  public String ownerId;

  @Column(name = "display_name")
  public String displayName;

  public String email;

  @Column(name = "imap_host")
  public String imapHost;

  @Column(name = "imap_port")
  public int imapPort;

  @Column(name = "imap_security")
  public String imapSecurity;

  @Column(name = "imap_username")
  public String imapUsername;

  /** Lifecycle status; {@code defined} until account status events say more. */
  public String status;

  @Column(name = "defined_at")
  public Instant definedAt;

  @Column(name = "created_at", insertable = false, updatable = false)
  public Instant createdAt;

  public static List<Account> ownedBy(String ownerId) {
    return list("ownerId = ?1 order by createdAt, id", ownerId);
  }
}
