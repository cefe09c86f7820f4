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
      assertAgrees(known, model, 1 + random.nextInt(5_000));
    }
    assertThat(known.uids())
        .containsExactly(model.keySet().stream().mapToLong(Long::longValue).toArray());
  }

  /**
   * Pages filled until they turn into tables and drained until they list their UIDs again, with
   * hundreds of flag sets (past the 254 a byte indexes), checked against a TreeMap throughout.
   */
  @Test
  void staysAMapWhilePagesFillAndDrainAndFlagSetsOverflow() {
    Random random = new Random(11);
    KnownLocations known = new KnownLocations();
    TreeMap<Long, List<String>> model = new TreeMap<>();
    for (int phase = 0; phase < 8; phase++) {
      boolean filling = phase % 2 == 0;
      for (int step = 0; step < 20_000; step++) {
        // Three pages of 1,024 UIDs and the start of a fourth.
        long uid = 1 + random.nextInt(3_500);
        if (random.nextInt(20) < (filling ? 4 : 19)) {
          assertThat(known.remove(uid)).isEqualTo(model.remove(uid));
        } else {
          List<String> flags =
              random.nextBoolean()
                  ? FLAG_SETS.get(random.nextInt(FLAG_SETS.size()))
                  : List.of("\\Seen", "$k" + random.nextInt(600));
          known.put(uid, flags);
          model.put(uid, flags);
        }
        assertAgrees(known, model, 1 + random.nextInt(3_500));
      }
      assertThat(known.uids())
          .containsExactly(model.keySet().stream().mapToLong(Long::longValue).toArray());
    }
  }

  private static void assertAgrees(
      KnownLocations known, TreeMap<Long, List<String>> model, long probe) {
    assertThat(known.size()).isEqualTo(model.size());
    assertThat(known.highest()).isEqualTo(model.isEmpty() ? 0 : model.lastKey());
    assertThat(known.get(probe)).isEqualTo(model.get(probe));
    assertThat(known.containsKey(probe)).isEqualTo(model.containsKey(probe));
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
