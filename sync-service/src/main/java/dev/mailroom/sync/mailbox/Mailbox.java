package dev.mailroom.sync.mailbox;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A mailbox and its sync checkpoint. Written by the ingest package only. */
@Entity
@Table(name = "mailbox")
public class Mailbox extends PanacheEntityBase {

  @Id public Long id;

  @Column(name = "account_id")
  public UUID accountId;

  public String path;
  public String delimiter;
  public String role;

  @Column(name = "uid_validity")
  public long uidValidity;

  @Column(name = "uid_next")
  public long uidNext;

  @Column(name = "highest_modseq")
  public Long highestModSeq;

  public long messages;
  public long unseen;

  @Column(name = "sync_done")
  public long syncDone;

  @Column(name = "sync_total")
  public Long syncTotal;

  @Column(name = "observed_at")
  public Instant observedAt;

  public static List<Mailbox> ofAccount(UUID accountId) {
    return list("accountId = ?1 order by path", accountId);
  }
}
