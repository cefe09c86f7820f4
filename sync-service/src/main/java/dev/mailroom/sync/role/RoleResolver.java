package dev.mailroom.sync.role;

import java.text.Normalizer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which mailbox plays each role, in this order: the owner's choice; the server's SPECIAL-USE
 * attribute (RFC 6154); a well-known name in one of the common languages, marked guessed. A role
 * none of them fills is unmapped, and an action that needs it answers "Mailboxes not configured".
 * Pure, so that every reader of roles (moves, sending's copy to Sent) decides the same way.
 */
public final class RoleResolver {

  /** The roles an action may need. */
  public static final List<String> ROLES = List.of("archive", "sent", "trash", "junk", "drafts");

  /**
   * Names seen on real servers (Dovecot, Exchange/Outlook, Gmail's [Gmail]/ folders, Apple,
   * Thunderbird's defaults, and their German, French, Spanish, Italian and Portuguese forms),
   * compared case- and accent-insensitively on the last segment of the path.
   */
  private static final Map<String, Set<String>> NAMES =
      Map.of(
          "archive", Set.of("archive", "archives", "archiv", "archivo", "archivio", "arquivo"),
          "sent",
              Set.of(
                  "sent",
                  "sent items",
                  "sent messages",
                  "sent mail",
                  "gesendet",
                  "gesendete objekte",
                  "gesendete elemente",
                  "elements envoyes",
                  "messages envoyes",
                  "envoyes",
                  "enviados",
                  "elementos enviados",
                  "posta inviata",
                  "inviata",
                  "itens enviados"),
          "trash",
              Set.of(
                  "trash",
                  "deleted items",
                  "deleted messages",
                  "deleted",
                  "bin",
                  "papierkorb",
                  "geloschte elemente",
                  "corbeille",
                  "elements supprimes",
                  "papelera",
                  "elementos eliminados",
                  "cestino",
                  "lixeira",
                  "lixo"),
          "junk",
              Set.of(
                  "junk",
                  "spam",
                  "junk e-mail",
                  "junk email",
                  "junk mail",
                  "bulk mail",
                  "junk-e-mail",
                  "courrier indesirable",
                  "unerwunscht",
                  "correo no deseado",
                  "posta indesiderata",
                  "lixo eletronico"),
          "drafts",
              Set.of(
                  "drafts", "draft", "entwurfe", "brouillons", "borradores", "bozze", "rascunhos"));

  private RoleResolver() {}

  /** A mailbox as the store lists it: its path, delimiter and SPECIAL-USE role (or null). */
  public record Box(String path, String delimiter, String specialUse) {}

  /**
   * @param source {@code owner}, {@code special-use} or {@code name} (then {@code guessed})
   */
  public record Resolved(String path, String source, boolean guessed) {}

  /** Every role with its mailbox, or null where unmapped; in the order of {@link #ROLES}. */
  public static Map<String, Resolved> resolve(List<Box> boxes, Map<String, String> owner) {
    Map<String, Resolved> out = new LinkedHashMap<>();
    for (String role : ROLES) {
      out.put(role, resolve(role, boxes, owner.get(role)));
    }
    return out;
  }

  private static Resolved resolve(String role, List<Box> boxes, String chosen) {
    if (chosen != null && boxes.stream().anyMatch(b -> b.path().equals(chosen))) {
      return new Resolved(chosen, "owner", false);
    }
    for (Box b : boxes) {
      if (role.equalsIgnoreCase(b.specialUse())) {
        return new Resolved(b.path(), "special-use", false);
      }
    }
    Resolved byName = null;
    for (Box b : boxes) {
      if (NAMES.get(role).contains(fold(lastSegment(b)))) {
        // Prefer a top-level mailbox (Trash over Projects/Trash), then the shorter path.
        if (byName == null
            || depth(b) < depth(byName.path(), b.delimiter())
            || (depth(b) == depth(byName.path(), b.delimiter())
                && b.path().length() < byName.path().length())) {
          byName = new Resolved(b.path(), "name", true);
        }
      }
    }
    return byName;
  }

  /** The unmapped roles among {@code needed}, in the order of {@link #ROLES}. */
  public static List<String> unmapped(Map<String, Resolved> roles) {
    return roles.entrySet().stream()
        .filter(e -> e.getValue() == null)
        .map(Map.Entry::getKey)
        .toList();
  }

  private static String lastSegment(Box b) {
    String path = b.path();
    // Under INBOX on servers that keep everything there (INBOX.Trash), or [Gmail]/Trash.
    if (b.delimiter() != null && !b.delimiter().isEmpty()) {
      int at = path.lastIndexOf(b.delimiter());
      if (at >= 0) {
        return path.substring(at + b.delimiter().length());
      }
    }
    return path;
  }

  private static int depth(Box b) {
    return depth(b.path(), b.delimiter());
  }

  private static int depth(String path, String delimiter) {
    if (delimiter == null || delimiter.isEmpty()) {
      return 0;
    }
    int n = 0;
    for (int at = path.indexOf(delimiter);
        at >= 0;
        at = path.indexOf(delimiter, at + delimiter.length())) {
      n++;
    }
    return n;
  }

  /** Lower case without accents: "Éléments envoyés" and "elements envoyes" are one name. */
  static String fold(String name) {
    String decomposed = Normalizer.normalize(name.strip(), Normalizer.Form.NFD);
    return decomposed.replaceAll("\\p{M}", "").toLowerCase(Locale.ROOT);
  }
}
