package dev.mailroom.gateway.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * The gateway's rules for an account as sync-service describes it: who owns it, and which fields a
 * client may see.
 */
public final class AccountJson {

  static final String OWNER = "ownerId";

  /**
   * Never passed to a client: the owner is the caller (nothing to tell), and a password, even
   * sealed, has no business leaving the platform.
   */
  private static final Set<String> HIDDEN = Set.of(OWNER, "password", "smtpPassword");

  private AccountJson() {}

  /** True only when the account names exactly this owner; an account naming none is nobody's. */
  public static boolean isOwnedBy(JsonNode account, String ownerId) {
    if (account == null || !account.isObject() || ownerId == null) {
      return false;
    }
    JsonNode owner = account.get(OWNER);
    return owner != null && owner.isTextual() && owner.textValue().equals(ownerId);
  }

  /** A copy of the account without the fields clients must not see. */
  public static ObjectNode toPublic(JsonNode account) {
    ObjectNode copy = ((ObjectNode) account).deepCopy();
    copy.remove(HIDDEN);
    return copy;
  }

  /** The accounts of {@code all} owned by {@code ownerId}, as clients may see them. */
  public static ArrayNode ownedBy(JsonNode all, String ownerId) {
    ArrayNode owned = JsonNodeFactory.instance.arrayNode();
    if (all != null && all.isArray()) {
      for (JsonNode account : all) {
        if (isOwnedBy(account, ownerId)) {
          owned.add(toPublic(account));
        }
      }
    }
    return owned;
  }

  /** What a log line may say about an account: its id, if it has one. */
  public static String idOf(JsonNode account) {
    JsonNode id = account == null ? null : account.get("id");
    return id == null ? "(no id)" : id.asText();
  }
}
