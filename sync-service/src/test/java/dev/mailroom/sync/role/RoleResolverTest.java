package dev.mailroom.sync.role;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoleResolverTest {

  @Test
  void theOwnersChoiceWinsThenSpecialUseThenAGuessedName() {
    var boxes =
        List.of(
            new RoleResolver.Box("INBOX", "/", null),
            new RoleResolver.Box("Archive", "/", "archive"),
            new RoleResolver.Box("Old mail", "/", null),
            new RoleResolver.Box("Papierkorb", "/", null),
            new RoleResolver.Box("Projects/Trash", "/", null));
    var roles = RoleResolver.resolve(boxes, Map.of("archive", "Old mail"));
    assertThat(roles.get("archive"))
        .isEqualTo(new RoleResolver.Resolved("Old mail", "owner", false));
    assertThat(roles.get("trash"))
        .as("top-level name before a nested one")
        .isEqualTo(new RoleResolver.Resolved("Papierkorb", "name", true));
    assertThat(RoleResolver.unmapped(roles)).containsExactly("sent", "junk", "drafts");

    // Without the owner's choice, SPECIAL-USE decides.
    assertThat(RoleResolver.resolve(boxes, Map.of()).get("archive").source())
        .isEqualTo("special-use");
    // A chosen mailbox that is gone leaves the role to detection.
    assertThat(RoleResolver.resolve(boxes, Map.of("archive", "Deleted box")).get("archive").path())
        .isEqualTo("Archive");
  }

  @Test
  void wellKnownNamesInSeveralLanguagesUnderAnyParent() {
    var boxes =
        List.of(
            new RoleResolver.Box("INBOX.Éléments envoyés", ".", null),
            new RoleResolver.Box("[Gmail]/Spam", "/", null),
            new RoleResolver.Box("Courrier indésirable", "/", null),
            new RoleResolver.Box("Deleted Items", "/", null),
            new RoleResolver.Box("Entwürfe", "/", null),
            new RoleResolver.Box("Archiv", "/", null));
    var roles = RoleResolver.resolve(boxes, Map.of());
    assertThat(roles.get("sent").path()).isEqualTo("INBOX.Éléments envoyés");
    assertThat(roles.get("junk").path()).isEqualTo("Courrier indésirable");
    assertThat(roles.get("trash").path()).isEqualTo("Deleted Items");
    assertThat(roles.get("drafts").path()).isEqualTo("Entwürfe");
    assertThat(roles.get("archive").path()).isEqualTo("Archiv");
    assertThat(roles.values()).allMatch(r -> r.guessed() && r.source().equals("name"));
  }
}
