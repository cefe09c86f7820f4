package dev.mailroom.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.events.mail.MessageAdded;
import org.junit.jupiter.api.Test;

class EventIdsTest {

  private final MessageAdded added = (MessageAdded) Samples.BY_TYPE.get(EventType.MESSAGE_ADDED);

  @Test
  void sameFactSameIdAcrossRuns() {
    // Pinned: a consumer compares ids across producer restarts and versions.
    assertThat(added.eventId())
        .isEqualTo(
            EventIds.of(
                "mailroom.message.added.v1",
                "6f1c7a52-93d4-4b0e-8a51-2f0f4c3b9d10",
                "INBOX",
                "1732600000",
                "4294967295"));
    assertThat(added.eventId())
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  }

  @Test
  void anotherLocationIsAnotherFact() {
    assertThat(EventIds.of("t", "a", "1")).isNotEqualTo(EventIds.of("t", "a", "2"));
    assertThat(EventIds.of("ab", "c")).isNotEqualTo(EventIds.of("a", "bc"));
  }

  @Test
  void flagsDoNotChangeTheIdOfAnAddedMessage() {
    MessageAdded sameLocationOtherFlags =
        new MessageAdded(
            added.accountId(),
            added.mailbox(),
            added.uidValidity(),
            added.uid(),
            added.modSeq(),
            added.identity(),
            added.messageId(),
            added.subject(),
            added.from(),
            added.to(),
            added.cc(),
            added.sentAt(),
            added.internalDate(),
            added.size(),
            java.util.List.of(),
            added.inReplyTo(),
            added.references());
    assertThat(sameLocationOtherFlags.eventId()).isEqualTo(added.eventId());
  }
}
