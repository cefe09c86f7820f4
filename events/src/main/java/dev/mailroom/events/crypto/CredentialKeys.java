package dev.mailroom.events.crypto;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the key settings ({@code mailroom.credentials.key-id}, {@code .key}, {@code .old-keys})
 * into the id-to-material map {@link SecretBox#of} takes. The gateway (which seals) and the
 * connector (which opens) read the same settings the same way. Every message names the key id and
 * never the key material, so a misconfiguration can be logged safely.
 */
public final class CredentialKeys {

  private CredentialKeys() {}

  /** The box for these settings: seals with the active key, opens with any of them. */
  public static SecretBox box(String activeKeyId, String activeKey, Optional<String> oldKeys) {
    return SecretBox.of(activeKeyId.trim(), parse(activeKeyId, activeKey, oldKeys));
  }

  /**
   * @param oldKeys {@code id:base64,id:base64}; blank or absent when no key was retired yet
   * @throws IllegalArgumentException when an entry has no id or no material, or an id repeats
   */
  public static Map<String, String> parse(
      String activeKeyId, String activeKey, Optional<String> oldKeys) {
    if (activeKeyId == null || activeKeyId.isBlank()) {
      throw new IllegalArgumentException("mailroom.credentials.key-id is empty");
    }
    if (activeKey == null || activeKey.isBlank()) {
      throw new IllegalArgumentException(
          "mailroom.credentials.key is empty (key id " + activeKeyId.trim() + ")");
    }
    Map<String, String> keys = new LinkedHashMap<>();
    keys.put(activeKeyId.trim(), activeKey.trim());
    String spec = oldKeys.orElse("").trim();
    if (spec.isEmpty()) {
      return keys;
    }
    int position = 0;
    for (String entry : spec.split(",")) {
      position++;
      String trimmed = entry.trim();
      int colon = trimmed.indexOf(':');
      if (colon <= 0 || colon == trimmed.length() - 1) {
        throw new IllegalArgumentException(
            "mailroom.credentials.old-keys entry "
                + position
                + " is not id:base64"
                + (colon > 0 ? " (key id " + trimmed.substring(0, colon).trim() + ")" : ""));
      }
      String id = trimmed.substring(0, colon).trim();
      String material = trimmed.substring(colon + 1).trim();
      if (keys.containsKey(id)) {
        throw new IllegalArgumentException(
            "credential key id " + id + " is given twice; each key id must name one key");
      }
      keys.put(id, material);
    }
    return keys;
  }
}
