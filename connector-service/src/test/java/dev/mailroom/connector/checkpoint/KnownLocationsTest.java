package dev.mailroom.connector.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class KnownLocationsTest {

  private static final List<List<String>> FLAG_SETS =
      List.of(List.of(), List.of("\\Seen"), List.of("\\Seen", "\\Flagged"), List.of("$Label1"));

  /** Every operation, checked against a TreeMap after each step: puts, overwrites and removals. */
  @Test
  void behavesAsASortedMapOfUidsToFlags() {
    Random random = new Random(7);
    KnownLocations known = new KnownLocations();
    TreeMap<Long, List<String>> model = new TreeMap<>();
    for (int step = 0; step < 200_000; step++) {
      // Runs of neighbouring UIDs, as mailboxes have, plus the largest UID there is.
      long uid =
          random.nextInt(10) == 0 ? 0xFFFF_FFFFL - random.nextInt(3) : 1 + random.nextInt(5_000);
      if (random.nextInt(3) == 0) {
        assertThat(known.remove(uid)).isEqualTo(model.remove(uid));
      } else {
        List<String> flags = FLAG_SETS.get(random.nextInt(FLAG_SETS.size()));
        known.put(uid, flags);
        model.put(uid, flags);
      }
      assertThat(known.size()).isEqualTo(model.size());
      assertThat(known.highest()).isEqualTo(model.isEmpty() ? 0 : model.lastKey());
      long probe = 1 + random.nextInt(5_000);
      assertThat(known.get(probe)).isEqualTo(model.get(probe));
      assertThat(known.containsKey(probe)).isEqualTo(model.containsKey(probe));
    }
    assertThat(known.uids())
        .containsExactly(model.keySet().stream().mapToLong(Long::longValue).toArray());
  }

  @Test
  void refusesWhatIsNotAUid() {
    KnownLocations known = new KnownLocations();
    assertThatThrownBy(() -> known.put(0, List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> known.put(0x1_0000_0000L, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(known.containsKey(0)).isFalse();
    assertThat(known.remove(-1)).isNull();
  }
}
