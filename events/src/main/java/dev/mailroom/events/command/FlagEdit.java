package dev.mailroom.events.command;

import java.util.List;

/**
 * Flags to add and to remove: system flags ({@code \Seen}, {@code \Flagged}, {@code \Answered}) and
 * keywords (RFC 9051 §2.3.2), as they travel in IMAP. Flags named in neither list are left as they
 * are on the server.
 */
public record FlagEdit(List<String> add, List<String> remove) {

  public FlagEdit {
    add = add == null ? List.of() : List.copyOf(add);
    remove = remove == null ? List.of() : List.copyOf(remove);
  }
}
