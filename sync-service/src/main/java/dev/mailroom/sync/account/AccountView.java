package dev.mailroom.sync.account;

import java.time.Instant;
import java.util.UUID;

/** The account as the query API shows it. */
public record AccountView(
    UUID id,
    String ownerId,
    String displayName,
    String email,
    String host,
    int port,
    String security,
    String username,
    Instant createdAt,
    String status,
    java.util.List<String> unmappedRoles) {

  /**
   * @param unmappedRoles the mailbox roles no mailbox plays (see RoleResolver)
   */
  static AccountView of(Account a) {
    return new AccountView(
        a.id,
        a.ownerId,
        a.displayName,
        a.email,
        a.imapHost,
        a.imapPort,
        a.imapSecurity,
        a.imapUsername,
        a.createdAt,
        a.status,
        dev.mailroom.sync.role.RoleResolver.unmapped(dev.mailroom.sync.role.Roles.of(a.id)));
  }
}
