package dev.mailroom.events;

import dev.mailroom.events.crypto.Sha256;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.UUID;

/**
 * Deterministic event ids: the same fact always gets the same id, so a consumer can tell a replay
 * or a duplicate from news. The id is a name-based UUID (version 8, RFC 9562 §5.8) over SHA-256 of
 * the parts that make the fact what it is.
 */
public final class EventIds {

  private EventIds() {}

  public static String of(Object... parts) {
    MessageDigest sha = Sha256.newDigest();
    for (Object part : parts) {
      // The unit separator keeps ("ab", "c") and ("a", "bc") apart.
      sha.update(String.valueOf(part).getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0x1f);
    }
    ByteBuffer hash = ByteBuffer.wrap(sha.digest());
    long high = (hash.getLong() & ~0xF000L) | 0x8000L;
    long low = (hash.getLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new UUID(high, low).toString();
  }
}
