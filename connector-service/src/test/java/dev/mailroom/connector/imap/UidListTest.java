package dev.mailroom.connector.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class UidListTest {

  /** Random mailboxes, from no holes to a hole after every UID, against the array they list. */
  @Test
  void listsTheUidsItWasGivenInEitherForm() {
    Random random = new Random(11);
    for (int round = 0; round < 300; round++) {
      int holeEvery = 1 + random.nextInt(round % 3 == 0 ? 3 : 200);
      long[] model = mailbox(random, 1 + random.nextInt(5_000), holeEvery);
      UidList list = UidList.of(model);
      assertThat(list.size()).isEqualTo(model.length);
      assertThat(list.slice(0, list.size())).containsExactly(model);
      for (int probe = 0; probe < 50; probe++) {
        int i = random.nextInt(model.length);
        assertThat(list.get(i)).isEqualTo(model[i]);
        int j = i + random.nextInt(model.length - i + 1);
        assertThat(list.slice(i, j)).containsExactly(Arrays.copyOfRange(model, i, j));
      }
      long cut = model[random.nextInt(model.length)];
      UidList odd = list.filter(u -> u % 2 == 1 || u > cut);
      assertThat(odd.slice(0, odd.size()))
          .containsExactly(LongStream.of(model).filter(u -> u % 2 == 1 || u > cut).toArray());
    }
  }

  @Test
  void aMailboxWithoutHolesIsOneRunAndOneWithManyIsKeptUidByUid() {
    UidList whole = new UidList.Builder().addRange(1, 300_000).build();
    assertThat(whole.form()).isEqualTo("runs");
    assertThat(whole.get(299_999)).isEqualTo(300_000);

    UidList everyOther = UidList.of(LongStream.rangeClosed(1, 1_000).map(u -> 2 * u).toArray());
    assertThat(everyOther.form()).isEqualTo("single");
    assertThat(everyOther.get(999)).isEqualTo(2_000);
  }

  @Test
  void keepsUidsAboveTheSignedRange() {
    long max = 0xFFFF_FFFFL;
    UidList runs = new UidList.Builder().addRange(1, 10).addRange(max - 4, max).build();
    assertThat(runs.form()).isEqualTo("runs");
    assertThat(runs.get(14)).isEqualTo(max);
    assertThat(runs.get(10)).isEqualTo(max - 4);
    UidList single = UidList.of(3, 2_147_483_648L, max - 2, max);
    assertThat(single.form()).isEqualTo("single");
    assertThat(single.slice(0, 4)).containsExactly(3, 2_147_483_648L, max - 2, max);
  }

  @Test
  void filterThatKeepsEverythingReturnsTheListItself() {
    UidList list = UidList.of(1, 2, 3, 7);
    assertThat(list.filter(u -> true)).isSameAs(list);
    assertThat(list.filter(u -> false).isEmpty()).isTrue();
  }

  @Test
  void refusesWhatIsNotAnAscendingUidList() {
    assertThatThrownBy(() -> UidList.of(3, 2)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> UidList.of(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> UidList.of(0x1_0000_0000L))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> UidList.of(1, 2).get(2)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  /** A sequence set as servers send it, ascending, and one that is not (RFC 9051 allows both). */
  @Test
  void readsSequenceSetsInAnyOrder() {
    UidList ascending = ImapCommands.sequenceSet("1:3,5,8:10");
    assertThat(ascending.slice(0, ascending.size())).containsExactly(1, 2, 3, 5, 8, 9, 10);
    assertThat(ascending.form()).isEqualTo("runs");
    UidList unordered = ImapCommands.sequenceSet("9:8,5,1:3,2");
    assertThat(unordered.slice(0, unordered.size())).containsExactly(1, 2, 3, 5, 8, 9);
  }

  private static long[] mailbox(Random random, int size, int holeEvery) {
    long[] uids = new long[size];
    long uid = random.nextInt(3) == 0 ? 0xFFFF_FFFFL - 7L * size : 1 + random.nextInt(100);
    for (int i = 0; i < size; i++) {
      uids[i] = uid;
      uid += random.nextInt(holeEvery) == 0 ? 2 + random.nextInt(5) : 1;
    }
    return uids;
  }
}
