package dev.mailroom.connector.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.events.model.ModSeq;
import dev.mailroom.events.model.UidValidity;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A state rebuilt from the mail topic that announced fewer messages than its last status counted:
 * adds lost to retention where the topic was trimmed, adds that never reached it where it was not.
 */
class MailboxStateTest {

  static final UidValidity UV = UidValidity.of(42);

  @Test
  void aWholeTopicShortOfItsStatusLacksUnannouncedMessagesAndSaysSoOnce() {
    MailboxState state = announcedTwoOfThree();
    state.markRestored(false);

    assertThat(state.takeRestoredGap()).isEqualTo(MailboxState.Gap.UNANNOUNCED);
    assertThat(state.takeRestoredGap()).isEqualTo(MailboxState.Gap.NONE);
  }

  @Test
  void aTrimmedTopicShortOfItsStatusLostItsAddsToRetention() {
    MailboxState state = announcedTwoOfThree();
    state.markRestored(true);

    assertThat(state.takeRestoredGap()).isEqualTo(MailboxState.Gap.EXPIRED);
  }

  @Test
  void noGapWhereEverythingCountedWasAnnouncedOrTheStateWasNotRestored() {
    MailboxState whole = announcedTwoOfThree();
    whole.skipped().add(3L);
    whole.markRestored(true);
    assertThat(whole.takeRestoredGap()).isEqualTo(MailboxState.Gap.NONE);

    MailboxState live = announcedTwoOfThree(); // the session's own, never read from the topic
    assertThat(live.takeRestoredGap()).isEqualTo(MailboxState.Gap.NONE);

    MailboxState firstSync = new MailboxState(UV); // no status yet: a first sync lists it all
    firstSync.markRestored(false);
    assertThat(firstSync.takeRestoredGap()).isEqualTo(MailboxState.Gap.NONE);
  }

  private static MailboxState announcedTwoOfThree() {
    MailboxState state = new MailboxState(UV);
    state.known().put(1, List.of());
    state.known().put(2, List.of("\\Seen"));
    state.checkpoint(new MailboxCheckpoint(UV, 4, ModSeq.NONE, 3, 1, Instant.now()));
    return state;
  }
}
